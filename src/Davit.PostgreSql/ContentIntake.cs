using Davit.Storage;
using Davit.Uploads;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Turns the <see cref="FileContent"/> of a write into a content version to point a file at: bytes this database
/// staged, or the bytes of one of its finished uploads, are taken as they are (a row switch); a small body staged in
/// memory is inserted by the write's transaction; anything else is read into a new version, before the write's
/// transaction when there is none yet (so a slow body never holds the write lock), or inside the unit of work the
/// request already holds.
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
        var staged = await store.StageCoreAsync(stream, content.Length, cancellationToken);
        return new Prepared(store, content, staged);
    }

    private IStagedContent? OwnStaged(FileContent content) => content.Staged switch
    {
        PgStaged staged when staged.StoreId == store.StoreId => staged,
        PgBuffered buffered when buffered.StoreId == store.StoreId => buffered,
        _ => null,
    };

    private bool OwnSession(FileContent content) => content.Session is not null && content.Sessions switch
    {
        PostgreSqlStore other => other.StoreId == store.StoreId,
        PgUnitOfWork unit => unit.Store.StoreId == store.StoreId,
        _ => false,
    };

    /// <summary>A write's content, ready to be taken in its transaction; disposing it discards what it staged and
    /// nobody took.</summary>
    public sealed class Prepared(PostgreSqlStore store, FileContent content, IStagedContent? staged) : IAsyncDisposable
    {
        /// <summary>The version to point the file at, and its length, in <paramref name="transaction"/>.</summary>
        public async ValueTask<(long Id, long Length)> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            switch (staged ?? store.Intake.OwnStaged(content))
            {
                case PgBuffered buffered:
                    return (await Contents.InsertSmallAsync(connection, transaction, buffered.Bytes, store.Now(), cancellationToken), buffered.Length);
                case PgStaged ours when ours == staged:
                    return (ours.ContentId, ours.Length);
                case PgStaged own:
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

/// <summary>A small body staged by <see cref="PostgreSqlStore.StageAsync"/> in memory, for the write's transaction to
/// insert (<see cref="Contents.InsertSmallAsync"/>); nothing to discard.</summary>
internal sealed class PgBuffered(string storeId, byte[] bytes) : IStagedContent
{
    /// <summary>The longest body kept in memory. A body this small is inserted while the write lock is held, which
    /// costs less than the commit of staging it; a larger one would hold the lock (which every node's writes share)
    /// for the time of writing it, and each waiting write would hold its bytes in memory meanwhile.</summary>
    public const int Limit = 64 * 1024;

    public string StoreId { get; } = storeId;

    public ReadOnlyMemory<byte> Bytes => bytes;

    public long Length => bytes.Length;

    public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
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
