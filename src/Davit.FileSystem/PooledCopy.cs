using System.Buffers;

namespace Davit.FileSystem;

/// <summary>Stream copies through a pooled buffer, so no body is ever held whole in memory.</summary>
internal static class PooledCopy
{
    public const int BufferSize = 128 * 1024;

    /// <summary>Copies <paramref name="source"/> to its end into a file being staged, from its start, and returns how
    /// many bytes it wrote. Failures to write because the disk is full become 507; failures of the source propagate
    /// unchanged.</summary>
    /// <remarks>The file is written synchronously: on Unix an asynchronous file write is a synchronous one run on
    /// another thread of the pool, and that hop costs more than copying a small body into the page cache.</remarks>
    public static async ValueTask<long> ToFileAsync(Stream source, Microsoft.Win32.SafeHandles.SafeFileHandle destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long written = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                try
                {
                    RandomAccess.Write(destination, buffer.AsSpan(0, read), written);
                }
                catch (IOException ex) when (IoErrors.IsOutOfSpace(ex))
                {
                    throw IoErrors.OutOfSpace(ex);
                }

                written += read;
            }

            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
