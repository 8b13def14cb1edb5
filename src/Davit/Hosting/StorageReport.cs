using Davit.Engine;
using Davit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Davit.Hosting;

/// <summary>
/// Says at startup where each part of the storage keeps its state (the store's content, its locks, its upload
/// sessions) and how far that state reaches (<see cref="StateScope"/>), so that nobody runs two servers on state one
/// of them cannot see without being told. With <see cref="DavOptions.RequireSharedState"/>, a part that is not shared
/// stops the host from starting.
/// </summary>
internal sealed partial class StorageReport(IServiceProvider services, DavEngine engine, IOptions<DavOptions> options, ILogger<StorageReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var store = scope.ServiceProvider.GetService<IDavStore>();
        if (store is null)
        {
            return Task.CompletedTask;
        }

        var parts = engine.PartsFor(scope.ServiceProvider, store);
        var lines = new List<(string Part, object? Holder)>
        {
            ("content", store),
            ("locks", options.Value.EnableLocking ? parts.Locks : null),
            ("upload sessions", options.Value.EnableResumableUploads ? parts.Sessions : null),
        };
        var local = new List<string>();
        foreach (var (part, holder) in lines)
        {
            if (holder is null)
            {
                Off(logger, part);
                continue;
            }

            var reach = (holder as IStateScope)?.Scope ?? StateScope.Process;
            Reach(logger, part, holder.GetType().Name, Describe(reach));
            if (reach != StateScope.Shared)
            {
                local.Add($"{part} ({holder.GetType().Name}: {Describe(reach)})");
            }
        }

        if (options.Value.RequireSharedState && local.Count > 0)
        {
            throw new InvalidOperationException(
                "RequireSharedState is on, but these parts of the storage are not shared with other servers: " + string.Join("; ", local) + ".");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Describe(StateScope scope) => scope switch
    {
        StateScope.Shared => "shared with every server using the same backing store",
        StateScope.Host => "this machine only (other processes here see it, other machines do not)",
        _ => "this process only (lost when it stops)",
    };

    [LoggerMessage(20, LogLevel.Information, "Storage: {Part} kept by {Holder}: {Reach}")]
    private static partial void Reach(ILogger logger, string part, string holder, string reach);

    [LoggerMessage(21, LogLevel.Information, "Storage: {Part} off")]
    private static partial void Off(ILogger logger, string part);
}
