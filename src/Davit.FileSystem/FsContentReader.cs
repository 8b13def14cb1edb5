using System.Buffers;
using Davit.Storage;
using Microsoft.Win32.SafeHandles;

namespace Davit.FileSystem;

/// <summary>
/// One version of a file, open for reading: the length and time come from the open handle, so they describe exactly
/// the bytes it reads, even when a write renames a new version over the name meanwhile (the handle keeps the old one).
/// Bytes are sent with large positional reads into one pooled buffer: Kestrel has no sendfile, and this measured faster
/// than its SendFileAsync (bench/downloads.sh).
/// </summary>
internal sealed class FsContentReader : IContentReader
{
    private const int BufferSize = 256 * 1024;

    // At most this much is read on the request's own thread: a small read is served from the page cache in
    // microseconds, less than the hop to the thread pool an asynchronous read takes on Unix.
    private const int InlineReadSize = 64 * 1024;

    private readonly SafeFileHandle handle;

    // Whether the handle came from Disk.ReadOpen, whose positional reads need no probe of the descriptor.
    private readonly bool native;

    private FsContentReader(SafeFileHandle handle, string contentType, long length, DateTime modifiedUtc, bool native)
    {
        this.handle = handle;
        this.native = native;
        Length = length;
        ModifiedUtc = new DateTimeOffset(DateTime.SpecifyKind(modifiedUtc, DateTimeKind.Utc));
        ETag = FsFile.ETagOf(Length, ModifiedUtc.UtcDateTime);
        ContentType = contentType;
    }

    public long Length { get; }

    public string ETag { get; }

    public DateTimeOffset ModifiedUtc { get; }

    public string ContentType { get; }

    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/> when the file is gone.</exception>
    public static FsContentReader Open(string path, string contentType)
    {
        if (Disk.ReadOpen.TryOpen(path, out var length, out var modified) is { } opened)
        {
            return new FsContentReader(opened, contentType, length, modified, native: true);
        }

        SafeFileHandle handle;
        try
        {
            // Share.Delete: a write may rename a new version over this one meanwhile; this read keeps the old.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StoreException(StoreError.NotFound, $"'{path}' has gone.", ex);
        }

        try
        {
            return new FsContentReader(handle, contentType, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle), native: false);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken)
    {
        if (count > InlineReadSize || OperatingSystem.IsWindows())
        {
            return ReadLargeAsync(output, offset, count, cancellationToken);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)count);
        var read = 0;
        try
        {
            while (read < count)
            {
                var span = buffer.AsSpan(read, (int)count - read);
                var got = native ? Disk.ReadOpen.Read(handle, span, offset + read) : RandomAccess.Read(handle, span, offset + read);
                if (got == 0)
                {
                    throw new IOException("The file ended before its length.");
                }

                read += got;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return WriteAndReturnAsync(output, buffer, read, cancellationToken);
    }

    private static async ValueTask WriteAndReturnAsync(Stream output, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        try
        {
            await output.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask ReadLargeAsync(Stream output, long offset, long count, CancellationToken cancellationToken)
    {
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

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                offset += read;
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public ValueTask DisposeAsync()
    {
        handle.Dispose();
        return ValueTask.CompletedTask;
    }
}
