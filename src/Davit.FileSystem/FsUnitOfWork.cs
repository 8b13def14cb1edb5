using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// A write unit of work of the file-system store: the metadata database's write transaction, held from begin to end
/// (so writes of every process sharing the folder, and their lock changes, run one after another), plus what the
/// request did to the files. Metadata commits or rolls back as one; file-system changes take effect at once, and a
/// unit of work that is rolled back (the engine refused the write, or the commit failed) undoes the ones that can be
/// undone, latest first: a new entry is removed, a renamed one renamed back, a time set back. Files made redundant
/// (a replaced tree in the trash) are removed only after the commit.
/// </summary>
/// <remarks>While it runs, the engine's lock store and upload-session store for the request are this object, so that
/// their statements join the transaction instead of waiting for the lock it holds.</remarks>
internal sealed class FsUnitOfWork : IUnitOfWork, IMetadata, ILockStore, IUploadSessionStore
{
    private readonly FileSystemStore store;

    public FileSystemStore Store => store;
    private readonly MetadataDatabase.Writer writer;
    private readonly List<Action> undo = [];
    private readonly List<Action> afterCommit = [];
    private readonly LockRepository locks;
    private bool committed;

    private FsUnitOfWork(FileSystemStore store, MetadataDatabase.Writer writer)
    {
        this.store = store;
        this.writer = writer;
        locks = new LockRepository(this);
    }

    public static async ValueTask<FsUnitOfWork> BeginAsync(FileSystemStore store, CancellationToken cancellationToken) =>
        new(store, await store.Database.BeginWriteAsync(cancellationToken));

    /// <summary>Registers how to undo a file-system change just made, should the unit of work be rolled back.</summary>
    public void OnRollback(Action action) => undo.Add(action);

    /// <summary>Registers tidying to do once the unit of work is committed (best effort: what fails stays for the
    /// clean-up at the next start).</summary>
    public void OnCommit(Action action) => afterCommit.Add(action);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        await writer.CommitAsync(cancellationToken);
        committed = true;
        foreach (var action in afterCommit)
        {
            Best(action);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!committed)
            {
                for (var i = undo.Count - 1; i >= 0; i--)
                {
                    Best(undo[i]);
                }
            }
        }
        finally
        {
            await writer.DisposeAsync();
        }
    }

    public ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, ValueTask<T>> work, CancellationToken cancellationToken) =>
        MetadataDatabase.RunAsync(work, writer.Connection, writer.Transaction);

    public ValueTask<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction?, ValueTask<T>> work, CancellationToken cancellationToken) =>
        work(writer.Connection, writer.Transaction);

    // Locks, in this transaction.
    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) =>
        locks.TryAddAsync(newLock, now, cancellationToken);

    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) =>
        locks.FindAsync(path, includeDescendants, now, cancellationToken);

    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        locks.GetAsync(token, now, cancellationToken);

    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        locks.RefreshAsync(token, timeout, expiresUtc, now, cancellationToken);

    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        locks.RemoveAsync(token, now, cancellationToken);

    public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) =>
        locks.RemoveTreeAsync(path, cancellationToken);

    // Upload sessions: their records in this transaction. Bytes are never written inside a unit of work.
    public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.Uploads.GetAsync(this, path, now, cancellationToken);

    public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.Uploads.ListAsync(this, path, now, cancellationToken);

    public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Upload sessions are started outside a unit of work.");

    public ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Upload bytes are written outside a unit of work.");

    public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Upload bytes are written outside a unit of work.");

    public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken) =>
        store.Uploads.OpenReadAsync(session, cancellationToken);

    public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken) =>
        store.Uploads.DeleteAsync(this, session, cancellationToken);

    public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.Uploads.DeleteExpiredAsync(this, now, cancellationToken);

    private static void Best(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            // Undo and tidying are best effort; what is left is reclaimed by the clean-up at the next start.
        }
    }
}
