namespace Davit.FileSystem.Tests;

/// <summary>A request body that yields <paramref name="prefix"/> and then fails, like a client that drops midway.</summary>
internal sealed class BrokenBodyStream(byte[] prefix) : Stream
{
    private int position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (position >= prefix.Length)
        {
            throw new IOException("The client went away.");
        }

        var n = Math.Min(count, prefix.Length - position);
        Array.Copy(prefix, position, buffer, offset, n);
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A clock that stands still unless moved.</summary>
internal sealed class StoppedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
