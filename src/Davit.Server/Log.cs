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

    [LoggerMessage(8, LogLevel.Information, "Users from {UsersFile}: {Count} user(s); anonymous access: {Anonymous}")]
    public static partial void UsingUsersFile(ILogger logger, string usersFile, int count, string anonymous);

    [LoggerMessage(9, LogLevel.Information, "Reloaded the users file {UsersFile}: {Count} user(s)")]
    public static partial void UsersFileReloaded(ILogger logger, string usersFile, int count);

    [LoggerMessage(10, LogLevel.Error, "The users file {UsersFile} changed but cannot be used; the previous users stay in force: {Problem}")]
    public static partial void UsersFileReloadFailed(ILogger logger, string usersFile, string problem);

    [LoggerMessage(11, LogLevel.Warning, "Failed login for user {User} from {Address}")]
    public static partial void LoginFailed(ILogger logger, string user, string address);

    [LoggerMessage(12, LogLevel.Warning, "Login for user {User} from {Address} refused without checking: too many failed logins; next try in {Seconds} s")]
    public static partial void LoginThrottled(ILogger logger, string user, string address, int seconds);

    [LoggerMessage(13, LogLevel.Warning, "Basic authentication over plain HTTP from {Address} refused (use HTTPS, or AllowBasicOverHttp)")]
    public static partial void BasicOverHttpRefused(ILogger logger, string address);

    [LoggerMessage(14, LogLevel.Information, "HTTPS certificate: {Subject} (expires {NotAfter:yyyy-MM-dd})")]
    public static partial void UsingCertificate(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(16, LogLevel.Information, "Serving a PostgreSQL store (everything in the database; other servers on the same database serve the same tree) at path prefix {Prefix}")]
    public static partial void ServingDatabase(ILogger logger, string prefix);

    [LoggerMessage(15, LogLevel.Information, "{Method} {Path} -> {StatusCode} before the engine: {Reason}")]
    public static partial void RequestChallenged(ILogger logger, string method, string path, int statusCode, string reason);
}
