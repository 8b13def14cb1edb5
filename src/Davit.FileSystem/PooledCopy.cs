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
}
