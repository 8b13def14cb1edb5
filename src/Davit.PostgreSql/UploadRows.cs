using Davit.Storage;
using Davit.Uploads;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Uploads in progress: one row per session in <c>uploads</c>, keyed by path, its saved bytes the chunks of a content
/// version of its own. A row never counts bytes that are not committed: the chunks and the count are saved in one
/// transaction, and a count is lowered before the bytes past it are rewritten.
/// </summary>
/// <remarks>
/// One writer per session, on every node: a writer holds a session-level advisory lock keyed by the session's id on
/// its own connection while it writes. PostgreSQL drops it when that connection dies with its process, so an upload
/// whose node was killed can be resumed on another at once. The expiry sweep and the takeover of a finished upload
/// try the same lock, so they never take a session from under its writer.
/// </remarks>
internal sealed class UploadRows(PostgreSqlStore store)
{
    /// <summary>The advisory lock key of a session, computed in SQL from its id ($n).</summary>
    public static string LeaseKey(string parameter) => $"hashtextextended('davit-upload:' || {parameter}, 0)";

    private const string Columns = "u.path, u.id, u.bytes_saved, u.total_length, u.content_type, u.created, u.last_saved, u.expires";

    public static UploadSession Read(NpgsqlDataReader reader) => new(
        reader.GetString(1),
        DavPath.Parse(reader.GetString(0)),
        reader.GetInt64(2),
        reader.NullableLong(3),
        reader.NullableString(4),
        Ticks.To(reader.GetInt64(5)),
        Ticks.To(reader.GetInt64(6)),
        Ticks.To(reader.GetInt64(7)));

    public ValueTask<UploadSession?> GetAsync(ISqlScope scope, DavPath path, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Names.IsStorable(path))
        {
            return ValueTask.FromResult<UploadSession?>(null);
        }

        return scope.ReadAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, $"SELECT {Columns} FROM uploads u WHERE u.path = $1 AND u.expires > $2")
                    .With(path.ToString()).With(Ticks.From(now)).FirstAsync(Read, cancellationToken),
            cancellationToken);
    }

    public async ValueTask<IReadOnlyList<UploadSession>> ListAsync(ISqlScope scope, DavPath path, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Names.IsStorable(path))
        {
            return [];
        }

        var text = path.ToString();
        var found = await scope.ReadAsync(
            async (connection, transaction) => path.IsRoot
                ? await Sql.Command(connection, transaction, $"SELECT {Columns} FROM uploads u WHERE u.expires > $1")
                    .With(Ticks.From(now)).ListAsync(Read, cancellationToken)
                : await Sql.Command(connection, transaction, $"SELECT {Columns} FROM uploads u WHERE u.expires > $1 AND (u.path = $2 OR (u.path >= $3 AND u.path < $4))")
                    .With(Ticks.From(now)).With(text).With(text + "/").With(text + "0").ListAsync(Read, cancellationToken),
            cancellationToken);

        // Ordered as the contract says, by the path's text compared ordinally (UTF-16), which is not byte order.
        return [.. found.OrderBy(s => s.Path.ToString(), StringComparer.Ordinal)];
    }

    public async ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength ?? 0, nameof(totalLength));
        if (path.IsRoot)
        {
            throw new StoreException(StoreError.Forbidden, "Nothing can be uploaded to the root.");
        }

        var text = Names.CheckPath(path);
        var session = new UploadSession(Guid.NewGuid().ToString("N"), path, 0, totalLength, contentType, now, now, expiresUtc);
        await store.Database.GuardAsync(async () =>
        {
            await using var connection = await store.Database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var contentId = await Contents.CreateAsync(connection, transaction, store.Now(), cancellationToken);

            // A session already there is replaced; its bytes go to the sweep, and its writer fails at its next save.
            await Sql.Command(connection, transaction, Contents.ReleaseSql("SELECT content_id FROM uploads WHERE path = $1", "$2"))
                .With(text).With(Ticks.From(store.Now())).RunAsync(cancellationToken);
            await Sql.Command(connection, transaction, """
                INSERT INTO uploads (path, id, content_id, bytes_saved, total_length, content_type, created, last_saved, expires)
                VALUES ($1, $2, $3, 0, $4, $5, $6, $6, $7)
                ON CONFLICT (path) DO UPDATE SET id = EXCLUDED.id, content_id = EXCLUDED.content_id, bytes_saved = 0,
                    total_length = EXCLUDED.total_length, content_type = EXCLUDED.content_type, created = EXCLUDED.created,
                    last_saved = EXCLUDED.last_saved, expires = EXCLUDED.expires
                """).With(text).With(session.Id).With(contentId).With(totalLength).With(contentType).With(Ticks.From(now)).With(Ticks.From(expiresUtc))
                .RunAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        });
        return session;
    }

    public async ValueTask DeleteAsync(ISqlScope scope, UploadSession session, CancellationToken cancellationToken)
    {
        if (!Names.IsStorable(session.Path))
        {
            return;
        }

        await scope.ReadAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, $"""
                    WITH gone AS (DELETE FROM uploads WHERE path = $1 AND id = $2 RETURNING content_id)
                    {Contents.ReleaseSql("SELECT content_id FROM gone", "$3")}
                    """).With(session.Path.ToString()).With(session.Id).With(Ticks.From(store.Now())).RunAsync(cancellationToken),
            cancellationToken);
    }

    public async ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(ISqlScope scope, DateTimeOffset now, CancellationToken cancellationToken) =>
        await scope.ReadAsync(
            async (connection, transaction) =>
            {
                // SKIP LOCKED: nodes sweeping together each take other rows; the lease: a session being written is not
                // stale, its writer moves the expiry on at its next save.
                var statement = $"""
                    WITH gone AS (
                        DELETE FROM uploads u WHERE u.path IN (
                            SELECT path FROM uploads WHERE expires <= $1 AND pg_try_advisory_xact_lock({LeaseKey("id")}) FOR UPDATE SKIP LOCKED)
                        RETURNING u.*),
                    released AS ({Contents.ReleaseSql("SELECT content_id FROM gone", "$2")})
                    SELECT {Columns} FROM gone u
                    """;
                if (transaction is null)
                {
                    // Its own transaction, so that the leases it tried are held until its deletes are committed.
                    await using var own = await connection.BeginTransactionAsync(cancellationToken);
                    var result = await Sql.Command(connection, own, statement).With(Ticks.From(now)).With(Ticks.From(store.Now())).ListAsync(Read, cancellationToken);
                    await own.CommitAsync(cancellationToken);
                    return (IReadOnlyList<UploadSession>)result;
                }

                return await Sql.Command(connection, transaction, statement).With(Ticks.From(now)).With(Ticks.From(store.Now())).ListAsync(Read, cancellationToken);
            },
            cancellationToken);

    /// <summary>
    /// Takes a finished session's bytes over as a content version, in the write's transaction: the row goes, the
    /// version gets its length. Null when the session is not as <paramref name="session"/> says (gone, replaced,
    /// holding other bytes) or is being written.
    /// </summary>
    public async ValueTask<(long Id, long Length)?> TryTakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, UploadSession session, CancellationToken cancellationToken)
    {
        if (!Names.IsStorable(session.Path))
        {
            return null;
        }

        if (!await Sql.Command(connection, transaction, $"SELECT pg_try_advisory_xact_lock({LeaseKey("$1")})").With(session.Id).ScalarAsync<bool>(cancellationToken))
        {
            return null;
        }

        var contentId = await Sql.Command(connection, transaction, "DELETE FROM uploads WHERE path = $1 AND id = $2 AND bytes_saved = $3 RETURNING content_id")
            .With(session.Path.ToString()).With(session.Id).With(session.BytesSaved).ScalarAsync<long?>(cancellationToken);
        if (contentId is not { } id)
        {
            return null;
        }

        var chunkSize = await Sql.Command(connection, transaction, "SELECT chunk_size FROM contents WHERE id = $1").With(id).ScalarAsync<int>(cancellationToken);
        await Sql.Command(connection, transaction, "DELETE FROM chunks WHERE content_id = $1 AND idx * $2 >= $3")
            .With(id).With((long)chunkSize).With(session.BytesSaved).RunAsync(cancellationToken);
        await Contents.SetLengthAsync(connection, transaction, id, session.BytesSaved, cancellationToken);
        return (id, session.BytesSaved);
    }
}
