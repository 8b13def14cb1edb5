using Davit.Hosting;
using Davit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Davit.Uploads;

/// <summary>Reclaims the space of uploads that went stale (<see cref="DavOptions.UploadExpiration"/>), every
/// <see cref="DavOptions.UploadCleanupInterval"/>, in the session store the engine uses. Several servers sharing one
/// store may all run it: the session store's <see cref="IUploadSessionStore.DeleteExpiredAsync"/> is safe for that.</summary>
internal sealed class UploadJanitor(IServiceProvider services, IOptions<DavOptions> options, TimeProvider time, ILogger<UploadJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EnableResumableUploads)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.UploadCleanupInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reclaiming expired uploads failed; trying again later");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes expired sessions now; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var store = scope.ServiceProvider.GetService<IDavStore>();
        var sessions = store as IUploadSessionStore ?? scope.ServiceProvider.GetService<IUploadSessionStore>();
        if (sessions is null)
        {
            return 0;
        }

        var expired = await sessions.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken);
        if (expired.Count > 0 && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Reclaimed {Count} expired upload(s)", expired.Count);
        }

        return expired.Count;
    }
}
