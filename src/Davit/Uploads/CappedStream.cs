using Davit.Engine;

namespace Davit.Uploads;

/// <summary>
/// Passes at most <paramref name="allowed"/> bytes of a request body through; a body that goes on past them fails
/// with <paramref name="status"/> at that point. The bytes before it are kept by the session store like those of any
/// interrupted body, so an upload never grows past its length or the server's limit.
/// </summary>
internal sealed class CappedStream(Stream inner, long allowed, int status, string reason, System.Xml.Linq.XName? condition = null) : Engine.ForwardReadStream
{
    private long read;

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (read == allowed)
        {
            // One byte more tells whether the body goes on.
            var probe = new byte[1];
            return await inner.ReadAsync(probe, cancellationToken) == 0 ? 0 : throw new DavException(status, reason, condition);
        }

        var count = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, allowed - read)], cancellationToken);
        read += count;
        return count;
    }
}
