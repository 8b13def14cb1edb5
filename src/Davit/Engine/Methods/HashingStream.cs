using System.Security.Cryptography;
using Davit.Storage;

namespace Davit.Engine.Methods;

/// <summary>
/// A request body read through SHA-1 and MD5 on its way to the store, so that the hashes of what was stored cost no
/// second read. <see cref="Hashes"/> is known once the whole body went through: the end of the stream was read, or
/// as many bytes as were announced. With <paramref name="expected"/> (the client's OC-Checksum), the read that
/// completes a body that does not match throws 400 instead of returning its bytes, so that the store's write fails
/// like that of a body cut short, and nothing is stored.
/// </summary>
internal sealed class HashingStream(Stream inner, long? announced, (string? Sha1, string? Md5)? expected) : Stream
{
    private readonly IncrementalHash sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private long read;
    private bool ended;
    private ContentHashes? hashes;

    /// <summary>Checks an empty body at once: a store may never read a stream it was told is empty.</summary>
    public HashingStream Start()
    {
        if (announced == 0)
        {
            Seen([], 0);
        }

        return this;
    }

    /// <summary>The hashes of the whole body, or null while it has not all been read.</summary>
    public ContentHashes? Hashes => hashes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Seen(buffer.AsSpan(offset, inner.Read(buffer, offset, count)), count);

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        return Seen(buffer[..n], buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Seen(buffer.Span[..n], buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            sha1.Dispose();
            md5.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Seen(ReadOnlySpan<byte> bytes, int asked)
    {
        if (hashes is not null)
        {
            return bytes.Length;
        }

        if (bytes.Length == 0 && asked > 0)
        {
            ended = true;
        }

        sha1.AppendData(bytes);
        md5.AppendData(bytes);
        read += bytes.Length;
        if (ended || (announced is { } length && read == length))
        {
            hashes = new(Convert.ToHexStringLower(sha1.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()));
            if (expected is { } sums)
            {
                ContentChecksums.Verify(sums, hashes);
            }
        }

        return bytes.Length;
    }
}
