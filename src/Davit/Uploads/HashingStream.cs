using System.Security.Cryptography;

namespace Davit.Uploads;

/// <summary>Hashes the bytes read through it, so that a body is checked while the session store writes it.</summary>
internal sealed class HashingStream(Stream inner, HashAlgorithmName algorithm) : Engine.ForwardReadStream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(algorithm);

    /// <summary>The hash of every byte read so far.</summary>
    public byte[] Hash() => hash.GetCurrentHash();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = await inner.ReadAsync(buffer, cancellationToken);
        hash.AppendData(buffer.Span[..count]);
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
