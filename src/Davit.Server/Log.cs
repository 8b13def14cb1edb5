namespace Davit.Server;

/// <summary>The server's own log messages (category "Davit.Server").</summary>
internal static partial class Log
{
    public const string Category = "Davit.Server";

    [LoggerMessage(1, LogLevel.Information, "Serving the folder {Root} (file-system store) at path prefix {Prefix}")]
    public static partial void ServingFolder(ILogger logger, string root, string prefix);

    [LoggerMessage(2, LogLevel.Information, "Serving an in-memory store at path prefix {Prefix}; its contents are lost when the server stops")]
    public static partial void ServingMemory(ILogger logger, string prefix);

    [LoggerMessage(3, LogLevel.Information, "Writing the log to {LogFile}")]
    public static partial void LoggingToFile(ILogger logger, string logFile);

    [LoggerMessage(4, LogLevel.Critical, "The server could not start or stopped because of an error")]
    public static partial void HostFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Critical, "Unhandled exception; the process is terminating")]
    public static partial void UnhandledException(ILogger logger, Exception? exception);

    [LoggerMessage(6, LogLevel.Error, "A task failed and nobody observed its exception")]
    public static partial void UnobservedTaskException(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Stopped")]
    public static partial void Stopped(ILogger logger);
}
