using Microsoft.Extensions.Logging;

namespace Davit.Diagnostics;

/// <summary>The engine's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "{Method} {Path} -> {StatusCode} {Bytes} B {ElapsedMs:0.0} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int statusCode, long bytes, double elapsedMs);

    [LoggerMessage(2, LogLevel.Debug, "{Method} {Path}: the client went away")]
    public static partial void RequestAborted(ILogger logger, string method, string path);

    [LoggerMessage(3, LogLevel.Error, "{Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "{Method} {Path} answered {StatusCode}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(5, LogLevel.Warning, "{Method} {Path}: {Count} member(s) failed; first: {FirstPath} {FirstStatus} {FirstReason}")]
    public static partial void MembersFailed(ILogger logger, string method, string path, int count, string firstPath, int firstStatus, string? firstReason);

    [LoggerMessage(6, LogLevel.Warning, "{Method} {Path} failed after the response had started; the connection was aborted")]
    public static partial void FailedAfterStart(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "{Method} {Path}: the store asked for attempt {Attempt} to be run again")]
    public static partial void WriteRetried(ILogger logger, string method, string path, int attempt);

    [LoggerMessage(8, LogLevel.Warning, "{Method} {Path}: tidying up after the write failed (the write itself is done)")]
    public static partial void TidyingFailed(ILogger logger, string method, string path, Exception exception);
}
