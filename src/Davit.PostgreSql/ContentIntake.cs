using Davit.Storage;
using Davit.Uploads;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Turns the <see cref="FileContent"/> of a write into a content version to point a file at: bytes this database
/// staged, or the bytes of one of its finished uploads, are taken as they are (a row switch); anything else is read
/// into a new version, before the write's transaction when there is none yet (so a slow body never holds the write
/// lock), or inside the unit of work the request already holds.
/// </summary>
internal sealed class ContentIntake(PostgreSqlStore store)
{
    public async ValueTask<Prepared> PrepareAsync(FileContent content, bool inUnit, CancellationToken cancellationToken)
    {
        if (inUnit || OwnStaged(content) is not null || OwnSession(content))
        {
            return new Prepared(store, content, null);
        }

        await using var stream = await content.OpenReadAsync(cancellationToken);
        var staged = await store.StageCoreAsync(stream, cancellationToken);
        return new Prepared(store, content, staged);
    }

    private PgStaged? OwnStaged(FileContent content) =>
        content.Staged is PgStaged staged && staged.StoreId == store.StoreId ? staged : null;

    private bool OwnSession(FileContent content) => content.Session is not null && content.Sessions switch
    {
        PostgreSqlStore other => other.StoreId == store.StoreId,
        PgUnitOfWork unit => unit.Store.StoreId == store.StoreId,
        _ => false,
    };

    /// <summary>A write's content, ready to be taken in its transaction; disposing it discards what it staged and
    /// nobody took.</summary>
    public sealed class Prepared(PostgreSqlStore store, FileContent content, PgStaged? staged) : IAsyncDisposable
    {
        /// <summary>The version to point the file at, and its length, in <paramref name="transaction"/>.</summary>
        public async ValueTask<(long Id, long Length)> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            if (staged is not null)
            {
                return (staged.ContentId, staged.Length);
            }

            if (store.Intake.OwnStaged(content) is { } own)
            {
                var length = await Sql.Command(connection, transaction, "SELECT length FROM contents WHERE id = $1").With(own.ContentId).ScalarAsync<long?>(cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, "The staged bytes were reclaimed before they were stored.");
                return (own.ContentId, length);
            }

            if (store.Intake.OwnSession(content) && await store.Uploads.TryTakeAsync(connection, transaction, content.Session!, cancellationToken) is { } taken)
            {
                return taken;
            }

            await using var stream = await content.OpenReadAsync(cancellationToken);
            return await Contents.WriteAsync(connection, transaction, stream, store.Now(), cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (staged is not null)
            {
                await staged.DisposeAsync();
            }
        }
    }
}

/// <summary>Bytes staged by <see cref="PostgreSqlStore.StageAsync"/>: a committed content version nothing uses yet.
/// Disposing deletes it unless a write took it over.</summary>
internal sealed class PgStaged(PostgreSqlStore store, long contentId, long length) : IStagedContent
{
    private int disposed;

    public long ContentId { get; } = contentId;

    public long Length { get; } = length;

    public string StoreId { get; } = store.StoreId;

    public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new ChunkStream(store.Database, ContentId, Contents.ChunkSize, Length));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await using var connection = await store.Database.OpenAsync(CancellationToken.None);
            await Contents.DeleteIfUnusedAsync(connection, ContentId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is StoreException or NpgsqlException or IOException)
        {
            // Left for the sweep: a staged version is born in content_gc.
        }
    }
}
