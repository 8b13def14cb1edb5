using Microsoft.AspNetCore.Http;

namespace Davit.Engine;

/// <summary>
/// The request body as handlers read it. A body the client framed wrongly (a chunk size that overflows, say) fails
/// inside Kestrel with a plain <see cref="IOException"/>; here it becomes a 400, so that no store mistakes it for a
/// disk failure and no client gets a 500 for its own bytes. It also tells whether the body was read to its end, so
/// that an error answered before that closes the connection instead of reading the rest of a large body for nothing.
/// </summary>
internal sealed class ClientBody(Stream inner, CancellationToken aborted) : Stream
{
    /// <summary>True once a read returned the end of the body.</summary>
    public bool Ended { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException ex) when (!aborted.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is not BadHttpRequestException)
        {
            throw new BadHttpRequestException($"The request body is malformed: {ex.Message}", StatusCodes.Status400BadRequest, ex);
        }

        if (read == 0 && buffer.Length > 0)
        {
            Ended = true;
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
