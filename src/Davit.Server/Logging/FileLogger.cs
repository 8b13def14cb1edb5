namespace Davit.Server.Logging;

/// <summary>One category's logger; formats on the caller's thread and hands the line to the provider.</summary>
internal sealed class FileLogger(string category, FileLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && !provider.IsDisposed;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            var message = formatter(state, exception);
            provider.Enqueue(FileLogFormat.Format(provider.Time.GetUtcNow(), logLevel, category, eventId.Id, message, exception));
        }
        catch (Exception)
        {
            // Logging must never fail the code that logs (a throwing ToString in a state object, say).
        }
    }
}
