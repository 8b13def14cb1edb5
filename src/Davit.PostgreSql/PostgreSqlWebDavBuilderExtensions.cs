using Davit.Hosting;
using Davit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Davit.PostgreSql;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgreSqlWebDavBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="PostgreSqlStore"/> as the store: one instance (singleton) replacing any store registered before.
    /// The options are validated when the host starts (the connection string must not be empty); then the schema is
    /// created or migrated, and a database this server must not use (a newer schema, not UTF8) stops the host with a
    /// clear message. A database that cannot be reached at start does not: requests get 503 until it can. Every server
    /// also sweeps unused content (<see cref="PostgreSqlStoreOptions.ContentSweepInterval"/>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddWebDav</c>.</param>
    /// <param name="configure">Sets the options.</param>
    public static IWebDavBuilder AddPostgreSqlStore(this IWebDavBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgreSqlStoreOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "PostgreSqlStoreOptions.ConnectionString must not be empty.")
            .Validate(o => o.MaxPoolSize is null or > 0, "PostgreSqlStoreOptions.MaxPoolSize must be positive.")
            .Validate(o => o.CommandTimeout is null || o.CommandTimeout > TimeSpan.Zero, "PostgreSqlStoreOptions.CommandTimeout must be positive.")
            .Validate(o => o.ContentSweepInterval > TimeSpan.Zero, "PostgreSqlStoreOptions.ContentSweepInterval must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(services => new PostgreSqlStore(
            services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value,
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IDavStore>(services => services.GetRequiredService<PostgreSqlStore>()));
        builder.Services.AddHostedService<PostgreSqlStoreService>();
        return builder;
    }
}

/// <summary>Prepares the database when the host starts, then sweeps unused content now and then.</summary>
internal sealed class PostgreSqlStoreService(PostgreSqlStore store, IOptions<PostgreSqlStoreOptions> options, ILogger<PostgreSqlStoreService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task? sweeping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.InitializeAsync(cancellationToken);
        }
        catch (StoreException ex) when (ex.Error == StoreError.Unavailable)
        {
            // Logged once by the store; the first request that finds the database back initializes it.
        }

        sweeping = SweepAsync(stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (sweeping is not null)
        {
            await sweeping.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SweepAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.ContentSweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await store.SweepContentAsync(stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
