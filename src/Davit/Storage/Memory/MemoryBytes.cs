namespace Davit.Storage.Memory;

/// <summary>
/// An immutable byte sequence kept as a list of segments of at most <see cref="ChunkSize"/> bytes. Never changed
/// once built, so a reader holding one sees the same bytes however the file is written meanwhile, and a copy of a
/// file shares its bytes.
/// </summary>
internal sealed class MemoryBytes
{
    /// <summary>The size of the buffers a stream is read into. Below the large-object-heap threshold.</summary>
    public const int ChunkSize = 64 * 1024;

    public static readonly MemoryBytes Empty = new([]);

    private readonly ReadOnlyMemory<byte>[] segments;

    // starts[i] is the offset of segments[i]; one extra entry holds the total length, for the binary search.
    private readonly long[] starts;

    private MemoryBytes(ReadOnlyMemory<byte>[] segments)
    {
        this.segments = segments;
        starts = new long[segments.Length + 1];
        for (var i = 0; i < segments.Length; i++)
        {
            starts[i + 1] = starts[i] + segments[i].Length;
        }
    }

    public long Length => starts[^1];

    /// <summary>Reads <paramref name="source"/> to its end into a new sequence. Throws whatever the stream throws;
    /// nothing is published anywhere, so a failed read leaves no trace.</summary>
    public static async ValueTask<MemoryBytes> ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var segments = new List<ReadOnlyMemory<byte>>();
        var chunk = new byte[ChunkSize];
        var filled = 0;
        while (true)
        {
            var read = await source.ReadAsync(chunk.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
            if (filled == chunk.Length)
            {
                segments.Add(chunk);
                chunk = new byte[ChunkSize];
                filled = 0;
            }
        }

        // A stream may end normally although the request was cancelled meanwhile; that is still not a success.
        cancellationToken.ThrowIfCancellationRequested();
        if (filled > 0)
        {
            // Trim a mostly empty last chunk, so that many small files do not each hold 64 KiB.
            segments.Add(filled >= ChunkSize / 2 ? chunk.AsMemory(0, filled) : chunk.AsSpan(0, filled).ToArray());
        }

        return segments.Count == 0 ? Empty : new MemoryBytes([.. segments]);
    }

    /// <summary>A sequence of <paramref name="segments"/>, which are never changed afterwards.</summary>
    public static MemoryBytes FromSegments(IReadOnlyCollection<ReadOnlyMemory<byte>> segments) =>
        segments.Count == 0 ? Empty : new MemoryBytes([.. segments.Where(s => !s.IsEmpty)]);

    /// <summary>A read-only stream over the whole sequence.</summary>
    public Stream OpenRead() => new BytesStream(this);

    /// <summary>Writes exactly <paramref name="count"/> bytes from <paramref name="offset"/> to
    /// <paramref name="output"/>.</summary>
    public async ValueTask WriteToAsync(Stream output, long offset, long count, CancellationToken cancellationToken)
    {
        CheckRange(offset, count);
        var parts = new List<ReadOnlyMemory<byte>>();
        AppendRange(parts, offset, count);
        foreach (var part in parts)
        {
            await output.WriteAsync(part, cancellationToken);
        }
    }

    private void CheckRange(long offset, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (offset > Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "The range lies beyond the end of the content.");
        }
    }

    private void AppendRange(List<ReadOnlyMemory<byte>> target, long offset, long count)
    {
        if (count == 0)
        {
            return;
        }

        var index = Array.BinarySearch(starts, offset);
        if (index < 0)
        {
            // Not a segment start: the segment holding offset is the one before the insertion point.
            index = ~index - 1;
        }

        var remaining = count;
        var skip = offset - starts[index];
        while (remaining > 0)
        {
            var segment = segments[index];
            var take = (int)Math.Min(segment.Length - skip, remaining);
            target.Add(segment.Slice((int)skip, take));
            remaining -= take;
            skip = 0;
            index++;
        }
    }

    private sealed class BytesStream(MemoryBytes bytes) : Engine.ForwardReadStream
    {
        private long position;

        public override long Length => bytes.Length;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, bytes.Length - position);
            if (count <= 0)
            {
                return 0;
            }

            var parts = new List<ReadOnlyMemory<byte>>();
            bytes.AppendRange(parts, position, count);
            var written = 0;
            foreach (var part in parts)
            {
                part.Span.CopyTo(buffer[written..]);
                written += part.Length;
            }

            position += written;
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }
    }
}
