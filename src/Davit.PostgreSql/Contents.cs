using System.Buffers;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Content versions and their chunks. A version is written once and never changed; a file points at one. A version
/// no file or upload points at any more is put in <c>content_gc</c> with a time from which it may go, and the sweep
/// deletes it then if nothing points at it again: readers that opened it just before have that long to start
/// reading, and a reader already reading keeps its statement's snapshot of the chunks to the end.
/// </summary>
internal static class Contents
{
    /// <summary>
    /// The size of a chunk. Measured on this project's machine (2 shared cores, PostgreSQL 15 on a Unix socket,
    /// docs/postgresql-store.md has the figures): 1 MiB writes and reads a large file fastest; range reads cost the
    /// same at any size, because a chunk is stored uncompressed and substring() fetches only the slice it needs.
    /// </summary>
    public const int ChunkSize = 1024 * 1024;

    /// <summary>How long a version no file uses any more stays readable for readers that opened it.</summary>
    public static readonly TimeSpan ReleaseGrace = TimeSpan.FromMinutes(10);

    /// <summary>How long a new version nobody uses yet (staged bytes, an upload being written) is kept.</summary>
    public static readonly TimeSpan StagingGrace = TimeSpan.FromHours(25);

    /// <summary>A new, empty version, born in <c>content_gc</c> so that it is reclaimed if nothing ever uses it.</summary>
    public static async ValueTask<long> CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = await Sql.Command(connection, transaction, "INSERT INTO contents (length, chunk_size, created) VALUES (0, $1, $2) RETURNING id")
            .With(ChunkSize).With(Ticks.From(now)).ScalarAsync<long>(cancellationToken);
        await Sql.Command(connection, transaction, "INSERT INTO content_gc (content_id, not_before) VALUES ($1, $2)")
            .With(id).With(Ticks.From(now + StagingGrace)).RunAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// A new version holding <paramref name="data"/> (at most one chunk), in one statement of the write's transaction.
    /// It is born in <c>content_gc</c> like every version, so that it is reclaimed if the transaction commits without
    /// a file pointing at it.
    /// </summary>
    public static async ValueTask<long> InsertSmallAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReadOnlyMemory<byte> data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, ChunkSize);
        return await Sql.Command(connection, transaction, """
            WITH c AS (INSERT INTO contents (length, chunk_size, created) VALUES ($1, $2, $3) RETURNING id),
                 g AS (INSERT INTO content_gc (content_id, not_before) SELECT id, $4 FROM c),
                 k AS (INSERT INTO chunks (content_id, idx, data) SELECT id, 0, $5 FROM c WHERE $1 > 0)
            SELECT id FROM c
            """).With((long)data.Length).With(ChunkSize).With(Ticks.From(now)).With(Ticks.From(now + StagingGrace)).With(data)
            .ScalarAsync<long>(cancellationToken);
    }

    public static ValueTask<int> SetLengthAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, long length, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction, "UPDATE contents SET length = $2 WHERE id = $1").With(id).With(length).RunAsync(cancellationToken);

    /// <summary>Writes chunk <paramref name="index"/>, replacing one already there.</summary>
    public static ValueTask<int> PutChunkAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, long index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction,
                "INSERT INTO chunks (content_id, idx, data) VALUES ($1, $2, $3) ON CONFLICT (content_id, idx) DO UPDATE SET data = EXCLUDED.data")
            .With(id).With(index).With(data).RunAsync(cancellationToken);

    /// <summary>Marks versions as possibly unused, to be deleted from <paramref name="notBefore"/> if nothing uses them
    /// by then. <paramref name="selectIds"/> is a query whose one column is content ids; its parameters follow.</summary>
    public static string ReleaseSql(string selectIds, string notBefore) =>
        $"INSERT INTO content_gc (content_id, not_before) SELECT DISTINCT x.id, {notBefore} FROM ({selectIds}) AS x(id) WHERE x.id IS NOT NULL " +
        "ON CONFLICT (content_id) DO UPDATE SET not_before = EXCLUDED.not_before";

    public static ValueTask<int> ReleaseAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction, ReleaseSql("SELECT $1::bigint", "$2")).With(id).With(Ticks.From(now + ReleaseGrace)).RunAsync(cancellationToken);

    /// <summary>Reads <paramref name="data"/> to its end into a new version, in <paramref name="transaction"/>.</summary>
    public static async ValueTask<(long Id, long Length)> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Stream data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = await CreateAsync(connection, transaction, now, cancellationToken);
        var length = await WriteChunksAsync(connection, () => ValueTask.FromResult(transaction), data, id, cancellationToken);
        await SetLengthAsync(connection, transaction, id, length, cancellationToken);
        return (id, length);
    }

    /// <summary>Writes <paramref name="data"/> as chunks 0, 1, ... of version <paramref name="id"/>; each chunk in the
    /// transaction <paramref name="transaction"/> gives at that moment (so a caller can commit between chunks).</summary>
    public static async ValueTask<long> WriteChunksAsync(NpgsqlConnection connection, Func<ValueTask<NpgsqlTransaction>> transaction, Stream data, long id, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long length = 0;
            for (long index = 0; ; index++)
            {
                var filled = await data.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
                if (filled > 0)
                {
                    await Sql.Command(connection, await transaction(), "INSERT INTO chunks (content_id, idx, data) VALUES ($1, $2, $3)")
                        .With(id).With(index).With(buffer.AsMemory(0, filled)).RunAsync(cancellationToken);
                    length += filled;
                }

                if (filled < ChunkSize)
                {
                    return length;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Deletes a version now if nothing uses it (staged bytes nobody took); false when something does.</summary>
    public static async ValueTask<bool> DeleteIfUnusedAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        await Sql.Command(connection, null, """
            DELETE FROM contents c WHERE c.id = $1
              AND NOT EXISTS (SELECT 1 FROM nodes WHERE content_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM uploads WHERE content_id = c.id)
            """).With(id).RunAsync(cancellationToken) > 0;

    /// <summary>
    /// Deletes, with their chunks, the versions whose time in <c>content_gc</c> has come and that nothing uses; returns
    /// how many. Several nodes may sweep at once: each takes the entries it handles with SKIP LOCKED. A version that
    /// something starts to use meanwhile is kept (its foreign key refuses the delete).
    /// </summary>
    public static async ValueTask<int> SweepAsync(Database database, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var batch = await database.GuardAsync(async () =>
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var due = await Sql.Command(connection, transaction, """
                    DELETE FROM content_gc g WHERE g.content_id IN (
                        SELECT content_id FROM content_gc WHERE not_before <= $1 ORDER BY not_before LIMIT 50 FOR UPDATE SKIP LOCKED)
                    RETURNING g.content_id
                    """).With(Ticks.From(now)).ListAsync(r => r.GetInt64(0), cancellationToken);
                var count = 0;
                foreach (var id in due)
                {
                    await transaction.SaveAsync("one", cancellationToken);
                    try
                    {
                        count += await Sql.Command(connection, transaction, """
                            DELETE FROM contents c WHERE c.id = $1
                              AND NOT EXISTS (SELECT 1 FROM nodes WHERE content_id = c.id)
                              AND NOT EXISTS (SELECT 1 FROM uploads WHERE content_id = c.id)
                            """).With(id).RunAsync(cancellationToken);
                        await transaction.ReleaseAsync("one", cancellationToken);
                    }
                    catch (PostgresException ex) when (ex.SqlState == "23503")
                    {
                        await transaction.RollbackAsync("one", cancellationToken);
                    }
                }

                await transaction.CommitAsync(cancellationToken);
                return (Handled: due.Count, Deleted: count);
            });
            deleted += batch.Deleted;
            if (batch.Handled < 50)
            {
                return deleted;
            }
        }
    }
}
