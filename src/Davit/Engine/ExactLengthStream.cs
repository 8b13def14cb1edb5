using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine;

/// <summary>
/// Passes a request body through and insists on its length: a body that ends short, or goes on past the length,
/// fails with 400 at the point it is noticed, so the store discards what it received (its writes are atomic) and no
/// truncated file is ever stored. Used for Content-Range segments and for Finder's X-Expected-Entity-Length.
/// </summary>
internal sealed class ExactLengthStream(Stream inner, long expected) : ForwardReadStream
{
    private long read;

    private long Remaining => expected - read;

    public long BytesRead => read;

    public override long Length => expected;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Remaining == 0)
        {
            // One more read shows whether the client sent more than it announced.
            var probe = new byte[1];
            if (await inner.ReadAsync(probe, cancellationToken) > 0)
            {
                throw new DavException(StatusCodes.Status400BadRequest, $"The body is longer than the {expected} bytes announced.");
            }

            return 0;
        }

        var count = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Remaining)], cancellationToken);
        if (count == 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"The body ended after {read} of the {expected} bytes announced.");
        }

        read += count;
        return count;
    }
}
