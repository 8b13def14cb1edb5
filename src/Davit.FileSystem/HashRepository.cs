using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// The hashes of files' content, one row per file path, recorded with the entity tag of the content they describe:
/// a row whose tag is not the file's any more (a later write, an edit on disk that changed its length or time) is
/// never read. Rows follow their files through COPY, MOVE and DELETE with the dead properties (<see cref="PropertyRepository"/>).
/// </summary>
internal static class HashRepository
{
    public static ValueTask<ContentHashes?> GetAsync(IMetadata database, DavPath path, string etag, CancellationToken cancellationToken) =>
        database.ReadAsync<ContentHashes?>(async (connection, transaction) =>
        {
            var command = connection.Command("SELECT sha1, md5 FROM hashes WHERE path = $p AND etag = $e;", transaction);
            command.Parameters.AddWithValue("$p", path.ToString());
            command.Parameters.AddWithValue("$e", etag);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? new ContentHashes(reader.GetString(0), reader.GetString(1)) : null;
        }, cancellationToken);

    public static ValueTask SetAsync(IMetadata database, DavPath path, string etag, ContentHashes hashes, CancellationToken cancellationToken) =>
        ExecuteAsync(database, "INSERT OR REPLACE INTO hashes (path, etag, sha1, md5) VALUES ($p, $e, $s, $m);", path, etag, hashes, cancellationToken);

    /// <summary>Keeps the hashes of content whose entity tag changed without a write (its time was set).</summary>
    public static ValueTask RetagAsync(IMetadata database, DavPath path, string from, string to, CancellationToken cancellationToken) =>
        ExecuteAsync(database, "UPDATE hashes SET etag = $to WHERE path = $p AND etag = $e;", path, from, null, cancellationToken, to);

    // Rows are self-checking (never read for another entity tag), so they do not order the unit of work's flushes.
    private static async ValueTask ExecuteAsync(IMetadata database, string sql, DavPath path, string etag, ContentHashes? hashes, CancellationToken cancellationToken, string? to = null)
    {
        Func<MetadataConnection, Microsoft.Data.Sqlite.SqliteTransaction, ValueTask<int>> work = async (connection, transaction) =>
        {
            var command = connection.Command(sql, transaction);
            command.Parameters.AddWithValue("$p", path.ToString());
            command.Parameters.AddWithValue("$e", etag);
            if (hashes is not null)
            {
                command.Parameters.AddWithValue("$s", hashes.Sha1);
                command.Parameters.AddWithValue("$m", hashes.Md5);
            }

            if (to is not null)
            {
                command.Parameters.AddWithValue("$to", to);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        };
        _ = database is FsUnitOfWork unit
            ? await unit.WriteSelfCheckingAsync(work, cancellationToken)
            : await database.WriteAsync(work, cancellationToken);
    }
}
