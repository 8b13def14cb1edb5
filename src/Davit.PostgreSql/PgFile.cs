using Davit.Storage;

namespace Davit.PostgreSql;

/// <summary>
/// A file: a node pointing at one immutable content version. A write points it at a new version (staged beforehand,
/// or the bytes of a finished upload, taken over without a copy) and takes a new generation from a sequence, which is
/// the entity tag: it changes with every write and never comes back. Content hashes belong to the content version
/// (a copy that shares it shares them; a write makes a version without any).
/// </summary>
internal sealed class PgFile(PostgreSqlStore store, PgUnitOfWork? unit, NodeRow row, DavPath path) : PgItem(store, unit, row, path), IFile, IContentHashes
{
    public string ContentType => Row.ContentType ?? ContentTypes.FromName(Name);

    public long ContentLength => Row.Length;

    public string ETag => Store.FormatETag(Row.Generation);

    public async ValueTask<IContentReader> OpenReadAsync(CancellationToken cancellationToken)
    {
        // Outside a unit of work, the version the path resolved to a moment ago is the one to read: its validators
        // are the ones the engine already checked, and a version stays readable for a while after a write replaces
        // it. This saves a GET (and each range request) a round trip.
        if (Unit is null && Row.ContentId is { } content && Row.ChunkSize > 0)
        {
            return new PgContentReader(Store, null, new ContentVersion(content, Row.ChunkSize, Row.Length, ETag, ModifiedUtc, ContentType, Row.ContentCreated));
        }

        var version = await Scope.ReadAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, """
                    SELECT n.content_id, c.chunk_size, c.length, n.generation, n.modified, n.content_type, c.created
                    FROM nodes n JOIN contents c ON c.id = n.content_id WHERE n.id = $1
                    """).With(Row.Id).FirstAsync(
                    r => new ContentVersion(r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), Store.FormatETag(r.GetInt64(3)), Ticks.To(r.GetInt64(4)),
                        r.NullableString(5) ?? ContentTypes.FromName(Name), r.GetInt64(6)),
                    cancellationToken),
            cancellationToken);
        return new PgContentReader(Store, Unit, version ?? throw Gone());
    }

    public async ValueTask WriteAsync(FileContent content, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        long? expected = null;
        if (expectedETag is not null)
        {
            expected = Store.ParseETag(expectedETag) ?? throw new StoreException(StoreError.ChangedMeanwhile, $"'{Path}' is no longer the version {expectedETag}.");
        }

        await using var intake = await Store.Intake.PrepareAsync(content, Scope.InUnit, cancellationToken);
        var now = Store.Now();
        Row = await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                var current = await EnsureExistsAsync(connection, transaction, cancellationToken);
                if (expected is { } generation && current.Generation != generation)
                {
                    throw new StoreException(StoreError.ChangedMeanwhile, $"'{Path}' is no longer the version {expectedETag}.");
                }

                // One statement points the node at the new version, hands the old one to the sweep and returns the
                // row as it is now: the write lock is held for every round trip, so a write makes as few as it can.
                var (contentId, _) = await intake.TakeAsync(connection, transaction, cancellationToken);
                return await Sql.Command(connection, transaction, $"""
                    WITH n AS (
                        UPDATE nodes SET content_id = $2, generation = nextval('generations'), modified = $3, content_type = $4 WHERE id = $1
                        RETURNING id, parent_id, name, is_folder, created, modified, content_id, generation, content_type),
                    g AS ({Contents.ReleaseSql("SELECT $5::bigint WHERE $5::bigint <> $2", "$6")})
                    SELECT {Tree.Columns} FROM n LEFT JOIN contents c ON c.id = n.content_id
                    """).With(Row.Id).With(contentId).With(Ticks.From(now)).With(content.ContentType).With(current.ContentId)
                    .With(Ticks.From(now + Contents.ReleaseGrace)).FirstAsync(Tree.Read, cancellationToken) ?? throw Gone();
            },
            cancellationToken);
    }

    public async ValueTask<ContentHashes?> GetContentHashesAsync(CancellationToken cancellationToken) =>
        Row.ContentId is not { } id
            ? null
            : await Scope.ReadAsync(
                async (connection, transaction) =>
                    await Sql.Command(connection, transaction, "SELECT sha1, md5 FROM contents WHERE id = $1 AND sha1 IS NOT NULL AND md5 IS NOT NULL")
                        .With(id).FirstAsync(r => new ContentHashes(r.GetString(0), r.GetString(1)), cancellationToken),
                cancellationToken);

    public async ValueTask SetContentHashesAsync(ContentHashes hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (Row.ContentId is not { } id)
        {
            throw Gone();
        }

        await Scope.WriteAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, "UPDATE contents SET sha1 = $2, md5 = $3 WHERE id = $1").With(id).With(hashes.Sha1).With(hashes.Md5).RunAsync(cancellationToken),
            cancellationToken);
    }
}
