using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// Sends a byte range of a physical file with large positional reads into one pooled buffer. Kestrel has no
/// sendfile: its SendFileAsync copies through a small buffered FileStream, and measured 30-40% slower than this
/// on a 1 GiB GET (bench/downloads.sh). Hosts with a real one (IIS, HTTP.sys) can use it through
/// <see cref="Hosting.DavOptions.UseHostSendFile"/>.
/// </summary>
internal static class PhysicalCopy
{
    private const int BufferSize = 256 * 1024;

    public static async Task SendAsync(HttpResponse response, string path, long offset, long count, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (count > 0)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), offset, cancellationToken);
                if (read == 0)
                {
                    throw new IOException("The file ended before its length.");
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                offset += read;
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
