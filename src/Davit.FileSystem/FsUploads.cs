using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace Davit.FileSystem;

/// <summary>
/// The uploads in progress of the file-system store: one row per session in the metadata database (table
/// <c>uploads</c>, keyed by path) and the saved bytes in <c>&lt;id&gt;.data</c> in the uploads folder. Every process
/// that opens the same folder sees the same sessions.
/// </summary>
/// <remarks>
/// <para>Crash safety: a row never counts more bytes than its data file holds. Bytes are written and flushed before
/// the row that counts them, and a row is lowered before the bytes it counts are rewritten or cut off. Bytes past a
/// row's count are leftovers of a write that did not finish; they are never read, and are cut off at the next start.</para>
/// <para>One writer at a time: a writer holds an exclusive lock on the data file (flock on Unix) for as long as it
/// writes; another writer, in this process or another, is refused with <see cref="StoreError.Busy"/>. The kernel drops
/// the lock when the writer's process dies, so a killed upload can be resumed at once.</para>
/// <para>Progress: while a write runs, the bytes are flushed and counted about once a second, so a progress report
/// in any process sees them.</para>
/// </remarks>
internal sealed class FsUploads
{
    private const int BufferSize = 128 * 1024;
    private const string DataExtension = ".data";
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    // Data files without a row are kept this long (a session being created in another process has its file first).
    private static readonly TimeSpan OrphanAge = TimeSpan.FromHours(1);

    private readonly MetadataDatabase database;
    private readonly PathResolver resolver;

    public FsUploads(string folder, MetadataDatabase database, PathResolver resolver, TimeProvider time)
    {
        Folder = folder;
        this.database = database;
        this.resolver = resolver;
        Directory.CreateDirectory(folder);
        Recover(time.GetUtcNow());
    }

    public string Folder { get; }

    public string DataPath(string id) => Path.Join(Folder, id + DataExtension);

    public async ValueTask<UploadSession?> GetAsync(IMetadata metadata, DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await QueryAsync(metadata, "path = $p", path, now, cancellationToken)).SingleOrDefault();

    public async ValueTask<IReadOnlyList<UploadSession>> ListAsync(IMetadata metadata, DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(metadata, Subtree.Filter(path), path, now, cancellationToken)).OrderBy(s => s.Path.ToString(), StringComparer.Ordinal)];

    public async ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength ?? 0, nameof(totalLength));
        if (path.IsRoot || resolver.Resolve(path) is null)
        {
            throw new StoreException(StoreError.Forbidden, $"Nothing can be uploaded to '{path}'.");
        }

        var session = new UploadSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), path, 0, totalLength, contentType, now, now, expiresUtc);
        try
        {
            using (new FileStream(DataPath(session.Id), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
            }
        }
        catch (IOException ex) when (IoErrors.IsOutOfSpace(ex))
        {
            throw IoErrors.OutOfSpace(ex);
        }

        string? replaced;
        try
        {
            replaced = await database.WriteAsync(async (connection, transaction) =>
            {
                var old = await ScalarAsync(connection, transaction, "SELECT id FROM uploads WHERE path = $p;", path, cancellationToken) as string;
                var insert = connection.Command("INSERT OR REPLACE INTO uploads (path, id, bytes_saved, total_length, content_type, created, last_saved, expires) VALUES ($p, $id, 0, $total, $type, $now, $now, $expires);", transaction);
                insert.Parameters.AddWithValue("$p", path.ToString());
                insert.Parameters.AddWithValue("$id", session.Id);
                insert.Parameters.AddWithValue("$total", (object?)totalLength ?? DBNull.Value);
                insert.Parameters.AddWithValue("$type", (object?)contentType ?? DBNull.Value);
                insert.Parameters.AddWithValue("$now", now.UtcTicks);
                insert.Parameters.AddWithValue("$expires", expiresUtc.UtcTicks);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                return old;
            }, cancellationToken);
        }
        catch
        {
            TryDelete(DataPath(session.Id));
            throw;
        }

        if (replaced is not null)
        {
            // A writer of the replaced session may still hold its file: it fails at its next save, and the file goes.
            TryDelete(DataPath(replaced));
        }

        return session;
    }

    public async ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var current = await GetAsync(database, session.Path, DateTimeOffset.MinValue, cancellationToken);
        if (current is null || current.Id != session.Id)
        {
            throw Gone(session);
        }

        if (offset < 0 || offset > current.BytesSaved)
        {
            throw new StoreException(StoreError.Conflict, $"The upload to '{session.Path}' has {current.BytesSaved} bytes; a write cannot start at {offset}.");
        }

        using var handle = OpenForWriting(session);
        if (offset < current.BytesSaved && !await UpdateAsync(database, current with { BytesSaved = offset }, cancellationToken))
        {
            // Rewriting saved bytes: the row first stops counting them, so that a crash midway cannot leave it
            // vouching for a mix of old and new bytes.
            throw Gone(session);
        }

        var writer = new Writer(this, handle, session, offset, totalLength, clock, lifetime);
        return await writer.RunAsync(data, cancellationToken);
    }

    public async ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken)
    {
        var current = await GetAsync(database, session.Path, DateTimeOffset.MinValue, cancellationToken);
        if (current is null || current.Id != session.Id)
        {
            throw Gone(session);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(bytesSaved);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesSaved, current.BytesSaved);
        using var handle = OpenForWriting(session);
        if (RandomAccess.GetLength(handle) > current.BytesSaved)
        {
            // Bytes past the count were never acknowledged: they go first, which needs no room in the database
            // (this may be all that can be done on a full disk).
            RandomAccess.SetLength(handle, current.BytesSaved);
        }

        var truncated = current with { BytesSaved = bytesSaved };
        if (bytesSaved < current.BytesSaved)
        {
            // The row is lowered first, so that it never counts bytes the data file no longer has.
            await UpdateAsync(database, truncated, cancellationToken);
            RandomAccess.SetLength(handle, bytesSaved);
        }

        return truncated;
    }

    public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(DataPath(session.Id), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Gone(session);
        }

        if (file.Length < session.BytesSaved)
        {
            file.Dispose();
            throw new IOException($"The data file of upload {session.Id} holds {file.Length} bytes, fewer than the {session.BytesSaved} saved.");
        }

        return ValueTask.FromResult<Stream>(new BoundedReadStream(file, session.BytesSaved));
    }

    /// <summary>
    /// Deletes <paramref name="session"/> outside a unit of work. On a full disk the database may have no room to
    /// record even a delete: then the data file is emptied first, which frees its bytes, and the delete is tried again.
    /// Should that fail too, the row is left counting bytes its file no longer has, which start-up recovery corrects.
    /// </summary>
    public async ValueTask DiscardAsync(UploadSession session, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteAsync(database, session, cancellationToken);
        }
        catch (StoreException ex) when (ex.Error == StoreError.InsufficientStorage && !IsBeingWritten(session.Id))
        {
            if (!TryEmpty(session))
            {
                throw;
            }

            await DeleteAsync(database, session, cancellationToken);
        }
    }

    private bool TryEmpty(UploadSession session)
    {
        try
        {
            using var handle = File.OpenHandle(DataPath(session.Id), FileMode.Open, FileAccess.Write, FileShare.None);
            RandomAccess.SetLength(handle, 0);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DeleteAsync(IMetadata metadata, UploadSession session, CancellationToken cancellationToken)
    {
        var deleted = await metadata.WriteAsync(async (connection, transaction) =>
        {
            var command = connection.Command("DELETE FROM uploads WHERE path = $p AND id = $id;", transaction);
            command.Parameters.AddWithValue("$p", session.Path.ToString());
            command.Parameters.AddWithValue("$id", session.Id);
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);
        if (deleted)
        {
            AfterCommit(metadata, () => TryDelete(DataPath(session.Id)));
        }
    }

    public async ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(IMetadata metadata, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await metadata.ReadAsync(async (connection, transaction) =>
        {
            var command = connection.Command($"SELECT {Columns} FROM uploads WHERE expires <= $now;", transaction);
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            return await ReadAllAsync(command, cancellationToken);
        }, cancellationToken);
        var deleted = new List<UploadSession>();
        foreach (var session in expired)
        {
            // A session being written is not stale: its writer moves the expiry on at its next save.
            if (IsBeingWritten(session.Id))
            {
                continue;
            }

            await DeleteAsync(metadata, session, cancellationToken);
            deleted.Add(session);
        }

        return deleted;
    }

    /// <summary>
    /// Takes a finished session's data file over as staged content, for a write that adopts it: the file is moved
    /// into staging and the row deleted, in <paramref name="metadata"/>'s transaction. When that is a unit of work that
    /// is rolled back, the file goes back, so the upload can still be completed. Null when the session is not whole
    /// here (gone, being written, or holding other bytes than <paramref name="session"/> says).
    /// </summary>
    public async ValueTask<StagedFile?> TryTakeAsync(IMetadata metadata, StagingArea staging, UploadSession session, CancellationToken cancellationToken)
    {
        var current = await GetAsync(metadata, session.Path, DateTimeOffset.MinValue, cancellationToken);
        var data = DataPath(session.Id);
        if (current is null || current.Id != session.Id || current.BytesSaved != session.BytesSaved || IsBeingWritten(session.Id))
        {
            return null;
        }

        var staged = staging.Reserve();
        try
        {
            // Leftovers past the count (a write that failed midway) are never content.
            using (var handle = File.OpenHandle(data, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                if (RandomAccess.GetLength(handle) < session.BytesSaved)
                {
                    staged.Dispose();
                    return null;
                }

                RandomAccess.SetLength(handle, session.BytesSaved);
            }

            (metadata as FsUnitOfWork)?.Renaming(data, staged.FullPath);
            File.Move(data, staged.FullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException || (ex is IOException io && IoErrors.IsInUse(io)))
        {
            staged.Dispose();
            return null;
        }

        if (metadata is FsUnitOfWork unit)
        {
            unit.OnRollback(() =>
            {
                if (File.Exists(staged.FullPath))
                {
                    File.Move(staged.FullPath, data);
                }
            });
        }

        await metadata.WriteAsync(async (connection, transaction) =>
        {
            var command = connection.Command("DELETE FROM uploads WHERE path = $p AND id = $id;", transaction);
            command.Parameters.AddWithValue("$p", session.Path.ToString());
            command.Parameters.AddWithValue("$id", session.Id);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return staged;
    }

    // Rows whose data file is gone, data longer or shorter than its count, and data files nobody counts are put right
    // at start.
    private void Recover(DateTimeOffset now)
    {
        var rows = QueryAsync(database, "1 = 1", DavPath.Root, DateTimeOffset.MinValue, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in rows)
        {
            known.Add(session.Id);
            try
            {
                using var handle = File.OpenHandle(DataPath(session.Id), FileMode.Open, FileAccess.Write, FileShare.None);
                var length = RandomAccess.GetLength(handle);
                if (length > session.BytesSaved)
                {
                    RandomAccess.SetLength(handle, session.BytesSaved);
                }
                else if (length < session.BytesSaved)
                {
                    // A discard on a full disk emptied the file but could not delete the row.
                    UpdateAsync(database, session with { BytesSaved = length }, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                DeleteAsync(database, session, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                // Being written by another process sharing the folder: it is that writer's to finish.
            }
        }

        foreach (var file in new DirectoryInfo(Folder).EnumerateFiles("*" + DataExtension))
        {
            if (!known.Contains(Path.GetFileNameWithoutExtension(file.Name)) && file.LastWriteTimeUtc < now.UtcDateTime - OrphanAge)
            {
                TryDelete(file.FullName);
            }
        }
    }

    private SafeFileHandle OpenForWriting(UploadSession session)
    {
        try
        {
            return File.OpenHandle(DataPath(session.Id), FileMode.Open, FileAccess.Write, FileShare.None, FileOptions.Asynchronous);
        }
        catch (IOException ex) when (IoErrors.IsInUse(ex))
        {
            throw new StoreException(StoreError.Busy, $"Another request is writing the upload to '{session.Path}'.", ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Gone(session);
        }
    }

    private bool IsBeingWritten(string id)
    {
        try
        {
            using var probe = File.OpenHandle(DataPath(id), FileMode.Open, FileAccess.Write, FileShare.None);
            return false;
        }
        catch (IOException ex) when (IoErrors.IsInUse(ex))
        {
            return true;
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            return false;
        }
    }

    private static async ValueTask<bool> UpdateAsync(IMetadata metadata, UploadSession session, CancellationToken cancellationToken) =>
        await metadata.WriteAsync(async (connection, transaction) =>
        {
            var command = connection.Command("UPDATE uploads SET bytes_saved = $saved, total_length = $total, last_saved = $last, expires = $expires WHERE path = $p AND id = $id;", transaction);
            command.Parameters.AddWithValue("$p", session.Path.ToString());
            command.Parameters.AddWithValue("$id", session.Id);
            command.Parameters.AddWithValue("$saved", session.BytesSaved);
            command.Parameters.AddWithValue("$total", (object?)session.TotalLength ?? DBNull.Value);
            command.Parameters.AddWithValue("$last", session.LastChunkSavedUtc.UtcTicks);
            command.Parameters.AddWithValue("$expires", session.ExpiresUtc.UtcTicks);
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    private const string Columns = "path, id, bytes_saved, total_length, content_type, created, last_saved, expires";

    private static ValueTask<List<UploadSession>> QueryAsync(IMetadata metadata, string condition, DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        metadata.ReadAsync(async (connection, transaction) =>
        {
            var command = connection.Command($"SELECT {Columns} FROM uploads WHERE expires > $now AND {condition};", transaction);
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            Subtree.Bind(command.Parameters, path);
            return await ReadAllAsync(command, cancellationToken);
        }, cancellationToken);

    private static async ValueTask<List<UploadSession>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<UploadSession>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new UploadSession(
                reader.GetString(1),
                DavPath.Parse(reader.GetString(0)),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                Utc(reader.GetInt64(5)),
                Utc(reader.GetInt64(6)),
                Utc(reader.GetInt64(7))));
        }

        return result;
    }

    private static async ValueTask<object?> ScalarAsync(MetadataConnection connection, SqliteTransaction transaction, string sql, DavPath path, CancellationToken cancellationToken)
    {
        var command = connection.Command(sql, transaction);
        command.Parameters.AddWithValue("$p", path.ToString());
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    private static StoreException Gone(UploadSession session) =>
        new(StoreError.NotFound, $"The upload to '{session.Path}' no longer exists (cancelled, replaced or expired).");

    private static void AfterCommit(IMetadata metadata, Action action)
    {
        if (metadata is FsUnitOfWork unit)
        {
            unit.OnCommit(action);
        }
        else
        {
            action();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            // Reclaimed at the next start.
        }
    }

    /// <summary>Streams one body into a session's data file, saving the count about once a second.</summary>
    private sealed class Writer(FsUploads uploads, SafeFileHandle handle, UploadSession session, long offset, long? totalLength, TimeProvider clock, TimeSpan lifetime)
    {
        private readonly SemaphoreSlim saving = new(1, 1);
        private long written;
        private long saved;

        public async ValueTask<UploadSession> RunAsync(Stream data, CancellationToken cancellationToken)
        {
            // A save that finds the session gone stops the copy: nobody will ever read these bytes.
            using var copying = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var stopSaving = new CancellationTokenSource();
            var saver = SaveEverySecondAsync(copying, stopSaving.Token);
            Exception? failure = null;
            try
            {
                await CopyAsync(data, copying.Token);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            await stopSaving.CancelAsync();
            if (await saver is { } saveFailure)
            {
                failure = saveFailure;
            }

            UploadSession result;
            try
            {
                result = await SaveAsync(final: true);
            }
            catch (Exception ex) when (failure is not null && (ex is StoreException || IoErrors.IsFileSystemError(ex)))
            {
                // The first failure is the one to report; the session keeps what its row says.
                result = session;
            }

            if (failure is null)
            {
                return result;
            }

            if (failure is IOException io && IoErrors.IsOutOfSpace(io))
            {
                throw IoErrors.OutOfSpace(io);
            }

            ExceptionDispatchInfo.Throw(failure);
            return result;
        }

        // A full buffer at a time: a body that trickles in costs no more writes than one that streams.
        private async ValueTask CopyAsync(Stream data, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            var filled = 0;
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await data.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken);
                    }
                    catch
                    {
                        // A dropped connection: what arrived is kept, and counted by the caller before the rethrow.
                        await FlushBufferAsync(buffer, filled);
                        throw;
                    }

                    filled += read;
                    if (filled == BufferSize || (read == 0 && filled > 0))
                    {
                        await FlushBufferAsync(buffer, filled);
                        filled = 0;
                    }

                    if (read == 0)
                    {
                        return;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        // Not cancellable: a buffer is either written whole or not counted at all.
        private async ValueTask FlushBufferAsync(byte[] buffer, int count)
        {
            if (count == 0)
            {
                return;
            }

            await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, count), offset + Volatile.Read(ref written), CancellationToken.None);
            Interlocked.Add(ref written, count);
        }

        // Returns the failure that ended the saving early (the session gone, the disk failing), or null.
        private async Task<Exception?> SaveEverySecondAsync(CancellationTokenSource copying, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(SaveInterval, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    if (Volatile.Read(ref written) > saved)
                    {
                        await SaveAsync(final: false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is StoreException || IoErrors.IsFileSystemError(ex))
            {
                await copying.CancelAsync();
                return ex;
            }

            return null;
        }

        // Flushes the bytes written so far, then counts them (never the other way round).
        private async ValueTask<UploadSession> SaveAsync(bool final)
        {
            await saving.WaitAsync(CancellationToken.None);
            try
            {
                var count = Volatile.Read(ref written);
                if (final)
                {
                    // Cuts off whatever lay past the new end (bytes of an earlier, longer write).
                    RandomAccess.SetLength(handle, offset + count);
                }

                RandomAccess.FlushToDisk(handle);
                var now = clock.GetUtcNow();
                var updated = session with
                {
                    BytesSaved = offset + count,
                    TotalLength = totalLength ?? session.TotalLength,
                    LastChunkSavedUtc = now,
                    ExpiresUtc = now + lifetime,
                };
                if (!await UpdateAsync(uploads.database, updated, CancellationToken.None))
                {
                    throw Gone(session);
                }

                saved = count;
                return updated;
            }
            finally
            {
                saving.Release();
            }
        }
    }
}
