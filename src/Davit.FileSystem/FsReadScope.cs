using Davit.Locking;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// The unit of work of one reading request (GET, PROPFIND, ...): nothing to commit, but the request's reads of locks
/// and dead properties share one look at the database's version (<see cref="ReadCache"/>), taken at the first of them,
/// instead of one look each (each is a read transaction: a SQLite statement and two file-lock system calls).
/// </summary>
/// <remarks>
/// One look per request is as fresh as one look per read: an answer cached at a version is at least as new as that
/// version, and a commit made by anyone, in this process or another, is seen by the next request. The engine uses this
/// unit of work as the request's lock store (<see cref="IUnitOfWork"/>); what would change locks goes to the store, as
/// without it.
/// </remarks>
internal sealed class FsReadScope(FileSystemStore store) : IUnitOfWork, ILockStore
{
    private ReadCache.Snapshot? snapshot;

    /// <summary>The answers valid at this request's look at the database version (taken on first use).</summary>
    public ReadCache.Snapshot Snapshot => snapshot ??= store.Database.Cache.Current();

    public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.Locks.FindAsync(path, includeDescendants, now, this, cancellationToken);

    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.Locks.GetAsync(token, now, this, cancellationToken);

    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.TryAddAsync(newLock, now, cancellationToken);

    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RefreshAsync(token, timeout, expiresUtc, now, cancellationToken);

    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RemoveAsync(token, now, cancellationToken);

    public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) =>
        store.RemoveTreeAsync(path, cancellationToken);
}
