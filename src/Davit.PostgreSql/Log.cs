using Microsoft.Extensions.Logging;

namespace Davit.PostgreSql;

/// <summary>The store's log lines (event ids 300-399).</summary>
internal static partial class Log
{
    public const string Category = "Davit.PostgreSql";

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "PostgreSQL cannot be reached ({Reason}); requests are answered 503 until it is back")]
    public static partial void Unreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "PostgreSQL is reachable again")]
    public static partial void Reachable(ILogger logger);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "PostgreSQL schema migrated from version {From} to {To}")]
    public static partial void Migrated(ILogger logger, int from, int to);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "PostgreSQL store ready: database {Database} on {Host}, schema version {Version}")]
    public static partial void Ready(ILogger logger, string database, string host, int version);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Reclaiming unused content failed; trying again later")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 305, Level = LogLevel.Debug, Message = "Reclaimed {Count} unused content version(s)")]
    public static partial void Swept(ILogger logger, int count);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Content cache in {Directory}, up to {Budget} bytes")]
    public static partial void CacheReady(ILogger logger, string directory, long budget);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "The content cache in {Directory} cannot be used; content is read from the database")]
    public static partial void CacheUnusable(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 308, Level = LogLevel.Debug, Message = "Content cache: copied {Name} ({Length} bytes)")]
    public static partial void CacheFilled(ILogger logger, string name, long length);

    [LoggerMessage(EventId = 309, Level = LogLevel.Debug, Message = "Content cache: copying {Name} failed; the response is sent from the database")]
    public static partial void CacheFillFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "Content cache: removed {Name} ({Length} bytes) to stay within the budget")]
    public static partial void CacheEvicted(ILogger logger, string name, long length);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Content cache: the copy {Name} did not hold its version's length and was removed; read from the database")]
    public static partial void CacheRemoved(ILogger logger, string name);

    [LoggerMessage(EventId = 312, Level = LogLevel.Debug, Message = "Content cache: served {Name} bytes {Offset} to {End}")]
    public static partial void CacheHit(ILogger logger, string name, long offset, long end);
}
