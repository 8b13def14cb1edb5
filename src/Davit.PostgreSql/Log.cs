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
}
