namespace Davit.Conformance;

/// <summary>
/// A read-only, non-seekable stream that hands out its bytes in small pieces, like a request body arriving over the
/// network. Subclasses decide what happens when a given position is reached.
/// </summary>
public abstract class TestReadStream : Stream
{
    private readonly byte[] data;
    private readonly int maxPerRead;
    private int position;

    /// <summary>Creates a stream over <paramref name="data"/> that returns at most <paramref name="maxPerRead"/>
    /// bytes per read.</summary>
    protected TestReadStream(byte[] data, int maxPerRead = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerRead, 1);
        this.data = data;
        this.maxPerRead = maxPerRead;
    }

    /// <summary>How many bytes have been handed out so far.</summary>
    public int BytesRead => position;

    /// <summary>The number of bytes this stream hands out before <see cref="OnLimitReached"/> is called; the whole
    /// data by default.</summary>
    protected virtual int Limit => data.Length;

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
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (position >= Limit)
        {
            return OnLimitReached();
        }

        var take = Math.Min(Math.Min(buffer.Length, maxPerRead), Limit - position);
        data.AsSpan(position, take).CopyTo(buffer);
        position += take;
        return take;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<int>(ex);
        }
    }

    /// <summary>Called on each read once <see cref="Limit"/> bytes have been handed out: returns 0 (the end) by
    /// default, or throws.</summary>
    protected virtual int OnLimitReached() => 0;

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
