using System.IO.Pipelines;

namespace Davit.Storage;

/// <summary>Streams made of parts of open content versions, for writes whose bytes come from reads: a copy, a partial
/// update. Bytes flow through a bounded pipe, so nothing is ever held whole in memory.</summary>
internal static class ContentStreams
{
    private static readonly PipeOptions Bounded = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024);

    /// <summary>
    /// A stream of the parts written by <paramref name="produce"/> in order. The producer runs as its reader reads;
    /// a failure of the producer fails the reader, and disposing the reader stops the producer.
    /// </summary>
    public static Stream Open(Func<Stream, CancellationToken, ValueTask> produce, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(Bounded);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync(produce, pipe.Writer, stop.Token);
        return new ProducedStream(pipe.Reader.AsStream(), stop, producer);
    }

    /// <summary>The whole of <paramref name="reader"/>'s version as a stream.</summary>
    public static Stream Whole(IContentReader reader, CancellationToken cancellationToken) =>
        Open((output, token) => reader.ReadAsync(output, 0, reader.Length, token), cancellationToken);

    private static async Task ProduceAsync(Func<Stream, CancellationToken, ValueTask> produce, PipeWriter writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using (var target = writer.AsStream(leaveOpen: true))
            {
                await produce(target, cancellationToken);
            }

            await writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex);
        }
    }

    private sealed class ProducedStream(Stream inner, CancellationTokenSource stop, Task producer) : Stream
    {
        private int disposed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                await StopAsync();
            }

            // The flag is set: the base's Dispose(true) only finishes the Stream's own disposal.
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref disposed, 1) == 0)
            {
                StopAsync().AsTask().GetAwaiter().GetResult();
            }

            base.Dispose(disposing);
        }

        private async ValueTask StopAsync()
        {
            // Completing the reader makes a producer still writing fail fast instead of blocking on a full pipe.
            await stop.CancelAsync();
            await inner.DisposeAsync();
            try
            {
                await producer;
            }
            catch (Exception)
            {
                // Its failure already reached the reader, or nobody reads any more.
            }

            stop.Dispose();
        }
    }
}
