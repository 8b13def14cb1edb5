namespace Davit.Conformance;

/// <summary>
/// A body that stalls: it hands out its bytes up to <c>pauseAt</c>, then waits (as a client that stopped sending
/// does) until <see cref="Resume"/> is called, then hands out the rest.
/// </summary>
public sealed class PausingStream(byte[] data, int pauseAt, int maxPerRead = 16 * 1024) : Stream
{
    private readonly TaskCompletionSource paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int position;

    /// <summary>Completes when every byte before the pause has been handed out and a read is waiting.</summary>
    public Task Paused => paused.Task;

    /// <summary>Lets the rest of the body through.</summary>
    public void Resume() => resumed.TrySetResult();

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position == pauseAt)
        {
            paused.TrySetResult();
            await resumed.Task.WaitAsync(cancellationToken);
        }

        var limit = position < pauseAt ? pauseAt : data.Length;
        var count = Math.Min(Math.Min(buffer.Length, maxPerRead), limit - position);
        data.AsSpan(position, count).CopyTo(buffer.Span);
        position += count;
        return count;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous.");

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
