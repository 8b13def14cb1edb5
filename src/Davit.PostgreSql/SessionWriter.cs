using System.Buffers;
using System.Runtime.ExceptionServices;
using Davit.Storage;
using Davit.Uploads;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Streams one body into an upload session, on a connection of its own that holds the session's lease (an advisory
/// lock) for the whole write. Full chunks go to the database as they fill; about once a second the chunk being filled
/// is written too and the count of saved bytes is committed with them, so that a progress report on any node sees the
/// upload advance and a crash loses only what was not counted yet.
/// </summary>
internal sealed class SessionWriter : IAsyncDisposable
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    private readonly PostgreSqlStore store;
    private readonly NpgsqlConnection connection;
    private readonly UploadSession session;
    private readonly SemaphoreSlim gate = new(1, 1);
    private NpgsqlTransaction? transaction;
    private long contentId;
    private int chunkSize;
    private byte[] chunk = [];
    private long chunkIndex;
    private int filled;
    private bool dirty;

    private SessionWriter(PostgreSqlStore store, NpgsqlConnection connection, UploadSession session)
    {
        this.store = store;
        this.connection = connection;
        this.session = session;
    }

    /// <summary>Opens a connection and takes the session's lease on it.</summary>
    /// <exception cref="StoreException"><see cref="StoreError.Busy"/> when another writer, on any node, holds it.</exception>
    public static async ValueTask<SessionWriter> OpenAsync(PostgreSqlStore store, UploadSession session, CancellationToken cancellationToken)
    {
        var connection = await store.Database.OpenSessionAsync(cancellationToken);
        try
        {
            var leased = await store.Database.GuardAsync(async () =>
                await Sql.Command(connection, null, $"SELECT pg_try_advisory_lock({UploadRows.LeaseKey("$1")})").With(session.Id).ScalarAsync<bool>(cancellationToken));
            if (!leased)
            {
                throw new StoreException(StoreError.Busy, $"Another request is writing the upload to '{session.Path}'.");
            }

            return new SessionWriter(store, connection, session);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The session's row and its version's chunk size, ignoring expiry (a writer finishes what it started).</summary>
    private async ValueTask<(UploadSession Current, long ContentId, int ChunkSize)> LoadAsync(CancellationToken cancellationToken)
    {
        var found = await Sql.Command(connection, null, """
            SELECT u.path, u.id, u.bytes_saved, u.total_length, u.content_type, u.created, u.last_saved, u.expires, u.content_id, c.chunk_size
            FROM uploads u JOIN contents c ON c.id = u.content_id WHERE u.path = $1 AND u.id = $2
            """).With(session.Path.ToString()).With(session.Id).FirstAsync(r => Tuple.Create(UploadRows.Read(r), r.GetInt64(8), r.GetInt32(9)), cancellationToken);
        return found is null ? throw Gone(session) : (found.Item1, found.Item2, found.Item3);
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>; see <see cref="IUploadSessionStore.WriteAsync"/>.</summary>
    public ValueTask<UploadSession> WriteAsync(long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken) =>
        store.Database.GuardAsync(async () =>
        {
            var (current, content, size) = await LoadAsync(cancellationToken);
            if (offset < 0 || offset > current.BytesSaved)
            {
                throw new StoreException(StoreError.Conflict, $"The upload to '{session.Path}' has {current.BytesSaved} bytes; a write cannot start at {offset}.");
            }

            contentId = content;
            chunkSize = size;
            chunk = ArrayPool<byte>.Shared.Rent(chunkSize);
            chunkIndex = offset / chunkSize;
            filled = (int)(offset % chunkSize);
            if (filled > 0)
            {
                await LoadPrefixAsync(cancellationToken);
            }

            if (offset < current.BytesSaved)
            {
                // Rewriting saved bytes: the row first stops counting them, so that a crash midway cannot leave it
                // vouching for a mix of old and new bytes.
                await using var lower = await connection.BeginTransactionAsync(cancellationToken);
                await CutAsync(lower, offset, cancellationToken);
                await lower.CommitAsync(cancellationToken);
            }

            return await RunAsync(data, totalLength, clock, lifetime, cancellationToken);
        });

    /// <summary>Keeps the first <paramref name="bytesSaved"/> bytes; see <see cref="IUploadSessionStore.TruncateAsync"/>.</summary>
    public ValueTask<UploadSession> TruncateAsync(long bytesSaved, CancellationToken cancellationToken) =>
        store.Database.GuardAsync(async () =>
        {
            var (current, content, size) = await LoadAsync(cancellationToken);
            ArgumentOutOfRangeException.ThrowIfNegative(bytesSaved);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesSaved, current.BytesSaved);
            contentId = content;
            chunkSize = size;
            if (bytesSaved < current.BytesSaved)
            {
                await using var cut = await connection.BeginTransactionAsync(cancellationToken);
                await CutAsync(cut, bytesSaved, cancellationToken);
                await cut.CommitAsync(cancellationToken);
            }

            return current with { BytesSaved = bytesSaved };
        });

    private async ValueTask CutAsync(NpgsqlTransaction cut, long length, CancellationToken cancellationToken)
    {
        var updated = await Sql.Command(connection, cut, "UPDATE uploads SET bytes_saved = $3 WHERE path = $1 AND id = $2")
            .With(session.Path.ToString()).With(session.Id).With(length).RunAsync(cancellationToken);
        if (updated == 0)
        {
            throw Gone(session);
        }

        await Sql.Command(connection, cut, "DELETE FROM chunks WHERE content_id = $1 AND idx * $2 >= $3")
            .With(contentId).With((long)chunkSize).With(length).RunAsync(cancellationToken);
    }

    private async ValueTask LoadPrefixAsync(CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, null, "SELECT substring(data FROM 1 FOR $3) FROM chunks WHERE content_id = $1 AND idx = $2")
            .With(contentId).With(chunkIndex).With(filled);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new IOException($"Upload {session.Id} is missing chunk {chunkIndex}.");
        }

        await using var stream = await reader.GetStreamAsync(0, cancellationToken);
        var read = await stream.ReadAtLeastAsync(chunk.AsMemory(0, filled), filled, throwOnEndOfStream: false, cancellationToken);
        if (read != filled)
        {
            throw new IOException($"Upload {session.Id} has {read} bytes in chunk {chunkIndex}, fewer than its count says.");
        }
    }

    private async ValueTask<UploadSession> RunAsync(Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        // A save that finds the session gone stops the copy: nobody will ever read these bytes.
        using var copying = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSaving = new CancellationTokenSource();
        var saver = SaveEverySecondAsync(totalLength, clock, lifetime, copying, stopSaving.Token);
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
            result = await SaveAsync(totalLength, clock, lifetime, final: true);
        }
        catch (Exception) when (failure is not null)
        {
            // The first failure is the one to report; the session keeps what its row says.
            result = session;
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return result;
    }

    private async ValueTask CopyAsync(Stream data, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var read = await data.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    var taken = 0;
                    while (taken < read)
                    {
                        var part = Math.Min(read - taken, chunkSize - filled);
                        buffer.AsSpan(taken, part).CopyTo(chunk.AsSpan(filled));
                        filled += part;
                        taken += part;
                        dirty = true;
                        if (filled == chunkSize)
                        {
                            // Not cancellable: a chunk is written whole or not at all.
                            transaction ??= await connection.BeginTransactionAsync(CancellationToken.None);
                            await Contents.PutChunkAsync(connection, transaction, contentId, chunkIndex, chunk.AsMemory(0, filled), CancellationToken.None);
                            chunkIndex++;
                            filled = 0;
                        }
                    }
                }
                finally
                {
                    gate.Release();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Returns the failure that ended the saving early (the session gone, the database failing), or null.
    private async Task<Exception?> SaveEverySecondAsync(long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationTokenSource copying, CancellationToken stop)
    {
        // Real time, whatever clock stamps the saves (a test's clock may stand still).
        using var timer = new PeriodicTimer(SaveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (dirty)
                {
                    await SaveAsync(totalLength, clock, lifetime, final: false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await copying.CancelAsync();
            return ex;
        }

        return null;
    }

    // Writes the chunk being filled, then counts every byte written so far, in one transaction.
    private async ValueTask<UploadSession> SaveAsync(long? totalLength, TimeProvider clock, TimeSpan lifetime, bool final)
    {
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            transaction ??= await connection.BeginTransactionAsync(CancellationToken.None);
            if (filled > 0)
            {
                await Contents.PutChunkAsync(connection, transaction, contentId, chunkIndex, chunk.AsMemory(0, filled), CancellationToken.None);
            }

            var count = chunkIndex * chunkSize + filled;
            var now = clock.GetUtcNow();
            var updated = await Sql.Command(connection, transaction, $"""
                UPDATE uploads u SET bytes_saved = $3, total_length = coalesce($4, u.total_length), last_saved = $5, expires = $6
                WHERE u.path = $1 AND u.id = $2
                RETURNING u.path, u.id, u.bytes_saved, u.total_length, u.content_type, u.created, u.last_saved, u.expires
                """).With(session.Path.ToString()).With(session.Id).With(count).With(totalLength).With(Ticks.From(now)).With(Ticks.From(now + lifetime))
                .FirstAsync(UploadRows.Read, CancellationToken.None);
            if (updated is null)
            {
                throw Gone(session);
            }

            if (final)
            {
                // Chunks past the new end (an earlier, longer write) are never content.
                await Sql.Command(connection, transaction, "DELETE FROM chunks WHERE content_id = $1 AND idx > $2")
                    .With(contentId).With(count == 0 ? -1 : (count - 1) / chunkSize).RunAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            await transaction.DisposeAsync();
            transaction = null;
            dirty = false;
            return updated;
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
                transaction = null;
            }

            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await Sql.Command(connection, null, $"SELECT pg_advisory_unlock({UploadRows.LeaseKey("$1")})").With(session.Id).RunAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // A broken connection is dropped by the pool, and its lock with it.
        }
        finally
        {
            if (chunk.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            await connection.DisposeAsync();
            gate.Dispose();
        }
    }

    private static StoreException Gone(UploadSession session) =>
        new(StoreError.NotFound, $"The upload to '{session.Path}' no longer exists (cancelled, replaced or expired).");
}
