using System.Buffers;
using System.Runtime.ExceptionServices;
using Davit.Storage;

namespace Davit.Uploads;

// The write path: bytes go to the data file first and are counted by the record only once they are there.
public sealed partial class DirectoryUploadSessionStore
{
    private const int BufferSize = 128 * 1024;

    /// <inheritdoc />
    /// <exception cref="DavException">409 when the session no longer exists (deleted, replaced or reclaimed); 507 when
    /// out of space.</exception>
    public async ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, DateTimeOffset now, DateTimeOffset expiresUtc, bool durable, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        DirectorySessionEntry entry;
        lock (gate)
        {
            entry = Find(session);
            if (offset < 0 || offset > entry.Session.BytesSaved)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The offset must be within 0..{entry.Session.BytesSaved}.");
            }

            if (entry.Writing)
            {
                throw new InvalidOperationException($"Upload session {entry.Id} is already being written to.");
            }

            entry.Writing = true;
        }

        try
        {
            return await WriteCoreAsync(entry, offset, data, totalLength, now, expiresUtc, durable, progress, cancellationToken);
        }
        finally
        {
            lock (gate)
            {
                entry.Writing = false;
            }
        }
    }

    private async ValueTask<UploadSession> WriteCoreAsync(DirectorySessionEntry entry, long offset, Stream data, long? totalLength, DateTimeOffset now, DateTimeOffset expiresUtc, bool durable, Action<long>? progress, CancellationToken cancellationToken)
    {
        UploadSession current;
        lock (gate)
        {
            current = entry.Session;
        }

        if (offset < current.BytesSaved)
        {
            // Rewriting saved bytes: the record first stops counting them, so that a crash midway cannot leave it
            // vouching for a mix of old and new bytes.
            current = current with { BytesSaved = offset };
            Save(entry, current, durable);
        }

        long saved;
        Exception? failure;
        bool outOfSpace;
        await using (var output = OpenData(entry.Id, offset))
        {
            (var written, failure, outOfSpace) = await CopyAsync(data, output, offset, progress, cancellationToken);
            saved = offset + written;
            if (FinishData(output, saved, durable) is { } finishing)
            {
                // After a failed flush nothing says which of this write's bytes reached the disk.
                saved = offset;
                failure ??= finishing;
                outOfSpace |= DirectorySessionFiles.IsOutOfSpace(finishing);
            }
        }

        var updated = current with
        {
            BytesSaved = saved,
            TotalLength = totalLength ?? current.TotalLength,
            LastChunkSavedUtc = now,
            ExpiresUtc = expiresUtc,
        };
        try
        {
            Save(entry, updated, durable);
        }
        catch (Exception ex) when (failure is not null && ex is DavException or IOException or UnauthorizedAccessException)
        {
            // The first failure is the one to report; the session keeps what its record says.
        }

        if (failure is null)
        {
            return updated;
        }

        if (outOfSpace)
        {
            throw DirectorySessionFiles.OutOfSpace(failure);
        }

        ExceptionDispatchInfo.Throw(failure);
        return updated;
    }

    // Copies the body into the data file a full buffer at a time (a body that trickles in costs no more writes than
    // one that streams). A failure is returned, not thrown: the bytes a failing body delivered are written first.
    private static async ValueTask<CopyOutcome> CopyAsync(Stream data, FileStream output, long offset, Action<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long written = 0;
        var filled = 0;
        var writing = false;
        try
        {
            while (true)
            {
                var read = await data.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken);
                filled += read;
                if (filled == BufferSize || (read == 0 && filled > 0))
                {
                    // Not cancellable: a buffer is either written whole or counted as not written at all.
                    writing = true;
                    await output.WriteAsync(buffer.AsMemory(0, filled), CancellationToken.None);
                    writing = false;
                    written += filled;
                    filled = 0;
                    progress?.Invoke(offset + written);
                }

                if (read == 0)
                {
                    return new CopyOutcome(written, null, OutOfSpace: false);
                }
            }
        }
        catch (Exception ex) when (writing)
        {
            return new CopyOutcome(written, ex, DirectorySessionFiles.IsOutOfSpace(ex));
        }
        catch (Exception ex)
        {
            // A dropped connection: what arrived is kept, and saved by the caller before the rethrow.
            if (filled > 0)
            {
                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, filled), CancellationToken.None);
                    written += filled;
                    progress?.Invoke(offset + written);
                }
                catch (Exception)
                {
                    // The body's failure is the one to report.
                }
            }

            return new CopyOutcome(written, ex, OutOfSpace: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Cuts off whatever lay past the new end (bytes of an earlier, longer write) and, when durable, flushes the file
    // to the disk; returns the failure instead of throwing it.
    private static IOException? FinishData(FileStream output, long end, bool durable)
    {
        try
        {
            output.SetLength(end);
            if (durable)
            {
                output.Flush(flushToDisk: true);
            }

            return null;
        }
        catch (IOException ex)
        {
            return ex;
        }
    }

    private FileStream OpenData(string id, long offset)
    {
        try
        {
            var output = new FileStream(files.DataPath(id), new FileStreamOptions
            {
                Mode = offset == 0 ? FileMode.OpenOrCreate : FileMode.Open,
                Access = FileAccess.Write,
                Share = FileShare.Read | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
            });
            if (output.Length < offset)
            {
                output.Dispose();
                throw new IOException($"The data file of upload session {id} is shorter than its saved bytes.");
            }

            output.Position = offset;
            return output;
        }
        catch (IOException ex) when (DirectorySessionFiles.IsOutOfSpace(ex))
        {
            throw DirectorySessionFiles.OutOfSpace(ex);
        }
    }

    private readonly record struct CopyOutcome(long Written, Exception? Failure, bool OutOfSpace);
}
