using Davit.Locking;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>The store keeps its own write locks, in its metadata database.</summary>
/// <remarks>
/// Adding a lock is one write transaction (purge the expired, read the candidates, check, insert), so of two racing
/// requests exactly one wins, whether they run in one process or in several processes sharing the database. Inside a
/// request's write unit of work the engine uses the unit of work's view of the locks instead, so that the lock and
/// the write it guards are one transaction. Timeouts are kept in whole seconds. Expired locks are removed whenever a
/// lock is added; until then they are merely invisible.
/// </remarks>
public sealed partial class FileSystemStore : ILockStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newLock);
        return Locks.TryAddAsync(newLock, now, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.FindAsync(path, includeDescendants, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.GetAsync(token, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.RefreshAsync(token, timeout, expiresUtc, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.RemoveAsync(token, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) =>
        Locks.RemoveTreeAsync(path, cancellationToken);
}
