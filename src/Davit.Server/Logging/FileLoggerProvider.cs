using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;

namespace Davit.Server.Logging;

/// <summary>
/// Appends log lines to one file. Callers only format and enqueue; a single background task writes, and flushes
/// whenever the queue runs dry, so a tail of the file is never more than a moment behind. When the queue is full,
/// lines are dropped and counted rather than stalling requests, and the count is written once there is room.
/// </summary>
[ProviderAlias("File")]
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private const int QueueCapacity = 10_000;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, FileLogger> _loggers = new(StringComparer.Ordinal);
    private readonly Channel<string> _queue;
    private readonly StreamWriter _writer;
    private readonly Task _pump;
    private long _dropped;
    private int _disposed;
    private bool _writeFailed;

    /// <summary>Opens (creating or appending to) <paramref name="path"/>; throws if it cannot be opened.</summary>
    public FileLoggerProvider(string path, TimeProvider time)
    {
        Path = path;
        Time = time;
        // FileShare.Read so operators can tail the file while the server runs.
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024)
        {
            NewLine = "\n",
        };
        _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The full path of the log file.</summary>
    public string Path { get; }

    internal TimeProvider Time { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, provider) => new FileLogger(name, provider), this);

    /// <summary>Queues one formatted entry; never blocks and never throws.</summary>
    internal void Enqueue(string entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is still queued, then closes the file. Waits a few seconds at most.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            if (!_pump.Wait(DrainTimeout))
            {
                // The disk is stuck; the writer still belongs to the pump, so leave it to the process exit.
                return;
            }
        }
        catch (AggregateException)
        {
            // The pump reports its own failures; closing the file is all that is left to do.
        }

        try
        {
            _writer.Dispose();
        }
        catch (IOException)
        {
        }
    }

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var entry))
            {
                await WriteAsync(entry).ConfigureAwait(false);
            }

            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0)
            {
                await WriteAsync(FileLogFormat.Format(
                    Time.GetUtcNow(),
                    LogLevel.Warning,
                    typeof(FileLoggerProvider).FullName!,
                    0,
                    $"{dropped} log lines were dropped because they came faster than the log file could take them.",
                    exception: null)).ConfigureAwait(false);
            }

            await FlushAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask WriteAsync(string entry)
    {
        try
        {
            await _writer.WriteLineAsync(entry).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            ReportFailure(e);
        }
    }

    private async ValueTask FlushAsync()
    {
        try
        {
            await _writer.FlushAsync().ConfigureAwait(false);
            _writeFailed = false;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            ReportFailure(e);
        }
    }

    private void ReportFailure(Exception e)
    {
        // The log file cannot report its own failure; say it once on stderr, which the console logger shares.
        if (!_writeFailed)
        {
            _writeFailed = true;
            Console.Error.WriteLine($"Davit: cannot write to the log file {Path}: {e.Message}");
        }
    }
}
