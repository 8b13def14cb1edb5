using System.Buffers;

namespace Davit.FileSystem;

/// <summary>Stream copies through a pooled buffer, so no body is ever held whole in memory.</summary>
internal static class PooledCopy
{
    public const int BufferSize = 128 * 1024;

    /// <summary>Copies <paramref name="source"/> to its end into a file being staged. Failures to write because
    /// the disk is full become 507; failures of the source propagate unchanged.</summary>
    public static async ValueTask ToFileAsync(Stream source, FileStream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                try
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (IOException ex) when (IoErrors.IsOutOfSpace(ex))
                {
                    throw IoErrors.OutOfSpace(ex);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes of <paramref name="source"/> from its current
    /// position to <paramref name="destination"/>.</summary>
    /// <exception cref="EndOfStreamException">The source ended early (the file shrank meanwhile).</exception>
    public static async ValueTask RangeAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (count > 0)
            {
                var wanted = (int)Math.Min(count, BufferSize);
                var read = await source.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The file became shorter while it was being read.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
