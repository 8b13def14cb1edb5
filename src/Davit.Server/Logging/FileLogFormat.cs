using System.Globalization;
using System.Text;

namespace Davit.Server.Logging;

/// <summary>
/// The log file's line format: "2026-11-20T23:59:59.123Z info Davit[1] message", the timestamp in UTC, followed by
/// the exception with its stack trace on the next lines when there is one.
/// </summary>
internal static class FileLogFormat
{
    public static string Format(DateTimeOffset time, LogLevel level, string category, int eventId, string message, Exception? exception)
    {
        var line = new StringBuilder(64 + category.Length + message.Length);
        line.Append(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(LevelName(level))
            .Append(' ')
            .Append(category)
            .Append('[')
            .Append(eventId.ToString(CultureInfo.InvariantCulture))
            .Append("] ")
            .Append(message);
        if (exception is not null)
        {
            line.Append('\n').Append(exception.ToString());
        }

        return line.ToString();
    }

    // The same four-letter names as the console logger, so the two outputs read alike.
    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
