namespace Davit.PostgreSql;

/// <summary>Bytes already read from a stream, then the rest of that stream: for a body that turned out longer than
/// it was announced after part of it was read.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnceStream
{
    private ReadOnlyMemory<byte> left = prefix;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (left.IsEmpty)
        {
            return await rest.ReadAsync(buffer, cancellationToken);
        }

        var count = Math.Min(buffer.Length, left.Length);
        left[..count].CopyTo(buffer);
        left = left[count..];
        return count;
    }
}
