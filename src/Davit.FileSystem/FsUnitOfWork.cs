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
    private readonly List<string> foldersToFlush = [];
    private readonly long changesAtStart;
    private long selfCheckingChanges;
    private bool flushInsideLock;
    private bool committed;

    private readonly UndoJournal.Writer journal;

    private FsUnitOfWork(FileSystemStore store, MetadataDatabase.Writer writer, long changesAtStart)
    {
        this.store = store;
        this.writer = writer;
        this.changesAtStart = changesAtStart;
        locks = new LockRepository(this);
        journal = store.Journal.Start();
    }

    /// <summary>Takes the write lock, then settles what units of work that ended without finishing left behind.</summary>
    public static async ValueTask<FsUnitOfWork> BeginAsync(FileSystemStore store, CancellationToken cancellationToken)
    {
        var writer = await store.Database.BeginWriteAsync(cancellationToken);
        try
        {
            store.Journal.Replay(writer.Connection, writer.Transaction);
            return new FsUnitOfWork(store, writer, TotalChanges(writer));
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Records, durably, a rename about to be made, so that a kill before the commit is undone by the next
    /// writer (see <see cref="UndoJournal"/>). Register the in-process undo with <see cref="OnRollback"/> too.</summary>
    public void Renaming(string from, string to) => journal.Renaming(from, to);

    /// <summary>
    /// Asks for <paramref name="folder"/>, which just got a new name (created or renamed in), to be flushed before the
    /// write is answered. When the unit of work journaled no rename and changed no row other than self-checking ones
    /// (<see cref="WriteSelfCheckingAsync"/>), nothing in the metadata depends on the new name, so the flush waits
    /// until the write lock is released and is shared with the writers that renamed into the same folder meanwhile
    /// (<see cref="Disk.FolderFlushes"/>); otherwise it is made before the commit, as a journaled rename must be
    /// durable before the commit that makes it final.
    /// </summary>
    /// <param name="folder">The folder that holds the new name.</param>
    /// <param name="namesAFolder">True when the new name is a folder that later writes may fill: its name is then
    /// flushed before the write lock is released, whatever else the unit of work did. A writer that puts a file into
    /// the new folder takes the lock after this one (in any process sharing the root), so it cannot answer before the
    /// folder's own name is durable; otherwise its file could be lost with the folder's name after a power cut.</param>
    public void FlushOnCommit(string folder, bool namesAFolder = false)
    {
        flushInsideLock |= namesAFolder;
        if (!foldersToFlush.Contains(folder, StringComparer.Ordinal))
        {
            foldersToFlush.Add(folder);
        }
    }

    /// <summary>
    /// Runs statements that write only rows which check themselves against the file they describe (hashes, recorded
    /// with the entity tag of their content and never read for another): such a row may become durable before or
    /// after the new name, so it does not keep the folder flush inside the write lock.
    /// </summary>
    public async ValueTask<T> WriteSelfCheckingAsync<T>(Func<MetadataConnection, SqliteTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var before = TotalChanges(writer);
        var result = await WriteAsync(work, cancellationToken);
        selfCheckingChanges += TotalChanges(writer) - before;
        return result;
    }

    /// <summary>Registers how to undo a file-system change just made, should the unit of work be rolled back.</summary>
    public void OnRollback(Action action) => undo.Add(action);

    /// <summary>Registers tidying to do once the unit of work is committed (best effort: what fails stays for the
    /// clean-up at the next start).</summary>
    public void OnCommit(Action action) => afterCommit.Add(action);

    /// <summary>
    /// Commits. A unit of work that journaled renames waits for its commit to be durable before its journal goes,
    /// holding the write lock. Any other one commits without waiting for the disk, releases the lock, then waits for
    /// the folder flushes it deferred and for the database's log to be flushed, both shared with the writers that
    /// committed meanwhile: the write is answered only once both are durable. A unit of work that changed no row other
    /// than self-checking ones (a PUT that set no property) does not wait for the log: what it wrote there may be lost
    /// in a power cut, which leaves its file without recorded hashes (served without <c>oc:checksums</c>), never with
    /// wrong ones; its file is durable through its own flushes.
    /// </summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        var onlySelfChecking = TotalChanges(writer) - selfCheckingChanges == changesAtStart;
        var flushLater = foldersToFlush.Count > 0 && !journal.IsUsed && onlySelfChecking && !flushInsideLock;
        if (!flushLater)
        {
            await FlushFoldersAsync();
        }

        if (journal.IsUsed)
        {
            await MetadataDatabase.RunAsync((connection, transaction) =>
            {
                journal.RecordCommit(connection, transaction);
                return ValueTask.FromResult(true);
            }, writer.Connection, writer.Transaction);

            // The commit must be durable before the journal that would undo it is deleted.
            await writer.CommitAsync(cancellationToken);
            committed = true;
            _ = Best(journal.Delete);
            RunAfterCommit();
            return;
        }

        await writer.CommitUnsyncedAsync(cancellationToken);
        committed = true;

        // The change is visible from here on: a flush that fails now answers 500, and the change stays.
        await writer.DisposeAsync();
        await FlushFoldersAsync();
        if (!onlySelfChecking)
        {
            await store.Database.SyncAsync();
        }

        // Tidying (a replaced file's trash, an upload's bytes) only once the commit that made it redundant is durable.
        RunAfterCommit();
    }

    private void RunAfterCommit()
    {
        foreach (var action in afterCommit)
        {
            _ = Best(action);
        }
    }

    private async ValueTask FlushFoldersAsync()
    {
        foreach (var folder in foldersToFlush)
        {
            await store.FolderFlushes.FlushAsync(folder);
        }

        foldersToFlush.Clear();
    }

    // The C call: no statement to prepare.
    private static long TotalChanges(MetadataDatabase.Writer writer) => SQLitePCL.raw.sqlite3_total_changes(writer.Connection.Connection.Handle);

    /// <summary>
    /// For tests: ends as a killed process would, between its file changes and its commit. The database rolls back
    /// and releases the write lock; nothing is undone on disk and the journal stays for the next writer.
    /// </summary>
    internal async ValueTask EndAsIfKilledAsync()
    {
        committed = true;
        journal.Abandon();
        await writer.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!committed)
            {
                var undone = true;
                for (var i = undo.Count - 1; i >= 0; i--)
                {
                    undone &= Best(undo[i]);
                }

                // Still holding the write lock: a journal left here is replayed by the next writer.
                if (undone)
                {
                    _ = Best(journal.Delete);
                }
                else
                {
                    journal.Abandon();
                }
            }
        }
        finally
        {
            await writer.DisposeAsync();
        }
    }

    public ValueTask<T> WriteAsync<T>(Func<MetadataConnection, SqliteTransaction, ValueTask<T>> work, CancellationToken cancellationToken) =>
        MetadataDatabase.RunAsync(work, writer.Connection, writer.Transaction);

    public ValueTask<T> ReadAsync<T>(Func<MetadataConnection, SqliteTransaction?, ValueTask<T>> work, CancellationToken cancellationToken) =>
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

    private static bool Best(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            // Undo and tidying are best effort; an undo left undone is finished by the next writer's replay of the
            // journal, and leftovers in staging and trash are reclaimed at the next start.
            return false;
        }
    }
}
