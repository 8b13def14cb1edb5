using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Davit.Storage;

namespace Davit.Engine.Methods;

/// <summary>
/// A request body read through SHA-1 and MD5 on its way to the store, so that the hashes of what was stored cost no
/// second read. <see cref="Hashes"/> is known once the whole body went through: the end of the stream was read, or
/// as many bytes as were announced. With <paramref name="expected"/> (the client's OC-Checksum), the read that
/// completes a body that does not match throws 400 instead of returning its bytes, so that the store's write fails
/// like that of a body cut short, and nothing is stored. The first megabyte is hashed as it is read; beyond it, each
/// algorithm runs on a task of its own over copies of the bytes, in order, so that a large upload is not slowed to
/// the speed of MD5 on the request's thread (both together cost about 2 s of CPU per GiB).
/// </summary>
internal sealed class HashingStream(Stream inner, long? announced, (string? Sha1, string? Md5)? expected) : ForwardReadStream
{
    private const int InlineBytes = 1024 * 1024;
    private const int QueuedChunks = 16;
    private readonly IncrementalHash sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private long read;
    private bool ended;
    private ContentHashes? hashes;
    private Pipeline? pipeline;

    /// <summary>Checks an empty body at once: a store may never read a stream it was told is empty.</summary>
    public HashingStream Start()
    {
        if (announced == 0)
        {
            SeenAsync(ReadOnlyMemory<byte>.Empty, 0).AsTask().GetAwaiter().GetResult();
        }

        return this;
    }

    /// <summary>The hashes of the whole body, or null while it has not all been read.</summary>
    public ContentHashes? Hashes => hashes;

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = inner.Read(rented, 0, buffer.Length);
            rented.AsSpan(0, n).CopyTo(buffer);
            return SeenAsync(rented.AsMemory(0, n), buffer.Length).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return await SeenAsync(buffer[..n], buffer.Length, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // A body left unread: the workers finish the little that is queued, then the hashes go.
            pipeline?.CompleteAsync().AsTask().GetAwaiter().GetResult();
            sha1.Dispose();
            md5.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> SeenAsync(ReadOnlyMemory<byte> bytes, int asked, CancellationToken cancellationToken = default)
    {
        if (hashes is not null)
        {
            return bytes.Length;
        }

        if (bytes.Length == 0 && asked > 0)
        {
            ended = true;
        }

        if (pipeline is null && read + bytes.Length <= InlineBytes)
        {
            sha1.AppendData(bytes.Span);
            md5.AppendData(bytes.Span);
        }
        else if (bytes.Length > 0)
        {
            pipeline ??= new Pipeline(sha1, md5);
            await pipeline.AddAsync(bytes, cancellationToken);
        }

        read += bytes.Length;
        if (ended || (announced is { } length && read == length))
        {
            if (pipeline is not null)
            {
                await pipeline.CompleteAsync();
            }

            hashes = new(Convert.ToHexStringLower(sha1.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()));
            if (expected is { } sums)
            {
                ContentChecksums.Verify(sums, hashes);
            }
        }

        return bytes.Length;
    }

    /// <summary>Two ordered workers, one per algorithm, over shared copies of the bytes (returned to the pool when
    /// both have hashed them). At most <see cref="QueuedChunks"/> copies wait, so memory stays bounded.</summary>
    private sealed class Pipeline
    {
        private readonly Channel<Chunk>[] queues = [NewQueue(), NewQueue()];
        private readonly Task[] workers;
        private bool completed;

        public Pipeline(IncrementalHash first, IncrementalHash second)
        {
            workers = [Task.Run(() => HashAsync(queues[0].Reader, first)), Task.Run(() => HashAsync(queues[1].Reader, second))];
        }

        public async ValueTask AddAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            var chunk = new Chunk(ArrayPool<byte>.Shared.Rent(bytes.Length), bytes.Length);
            bytes.Span.CopyTo(chunk.Buffer);
            try
            {
                await queues[0].Writer.WriteAsync(chunk, cancellationToken);
            }
            catch
            {
                chunk.Release();
                chunk.Release();
                throw;
            }

            try
            {
                await queues[1].Writer.WriteAsync(chunk, cancellationToken);
            }
            catch
            {
                chunk.Release();
                throw;
            }
        }

        public async ValueTask CompleteAsync()
        {
            if (!completed)
            {
                completed = true;
                queues[0].Writer.TryComplete();
                queues[1].Writer.TryComplete();
            }

            await Task.WhenAll(workers);
        }

        private static Channel<Chunk> NewQueue() =>
            Channel.CreateBounded<Chunk>(new BoundedChannelOptions(QueuedChunks) { SingleReader = true, SingleWriter = true });

        private static async Task HashAsync(ChannelReader<Chunk> reader, IncrementalHash hash)
        {
            await foreach (var chunk in reader.ReadAllAsync())
            {
                hash.AppendData(chunk.Buffer, 0, chunk.Length);
                chunk.Release();
            }
        }
    }

    private sealed class Chunk(byte[] buffer, int length)
    {
        private int holders = 2;

        public byte[] Buffer => buffer;

        public int Length => length;

        public void Release()
        {
            if (Interlocked.Decrement(ref holders) == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
