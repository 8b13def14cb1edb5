using Davit.Storage;

namespace Davit.Locking;

/// <summary>
/// Keeps write locks. The engine does all of the protocol (LOCK, UNLOCK, the If header, 423 on every write); a
/// lock store only stores, finds, and atomically adds locks, so a database store can share locks among several
/// servers by implementing this against its tables.
/// </summary>
/// <remarks>
/// Every method takes the current time and must treat a lock with <see cref="ActiveLock.IsExpired"/> as gone: never
/// return it, never let it conflict, and reclaim it whenever convenient (so a later call with an earlier time need
/// not see it again). Results come in no particular order. Implementations must be safe for concurrent use. The
/// engine never reuses a token; a store may throw <see cref="ArgumentException"/> when asked to add a token it
/// already holds. The engine finds a lock store in this order: the <see cref="IDavStore"/> itself when it
/// implements this interface (a store that owns its locking), else the <see cref="ILockStore"/> service (the
/// default keeps locks in memory). Statuses: a <see cref="StoreException"/> names an outcome; any other exception becomes 500.
/// </remarks>
public interface ILockStore
{
    /// <summary>
    /// Adds <paramref name="newLock"/> unless an unexpired lock conflicts with it (<see cref="ActiveLock.ConflictsWith"/>).
    /// The check and the add are one atomic step: of two callers racing for conflicting locks, exactly one
    /// succeeds. Returns the conflicting locks (and adds nothing), or an empty list when the lock was added.
    /// </summary>
    ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The unexpired locks that cover <paramref name="path"/> (rooted at it, or at an ancestor with depth infinity),
    /// and, when <paramref name="includeDescendants"/> is true, also those rooted anywhere below it.
    /// </summary>
    ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The unexpired lock with <paramref name="token"/>, or null.</summary>
    ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the unexpired lock with <paramref name="token"/> a new timeout, expiring at
    /// <paramref name="expiresUtc"/> (which may be earlier than before). Returns the refreshed lock, or null when
    /// there is no such lock.
    /// </summary>
    ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes the lock with <paramref name="token"/>. False when there was none (or it had expired).</summary>
    ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes every lock rooted at <paramref name="path"/> or below it (after a DELETE or a MOVE of that
    /// tree: locks never travel with a resource).</summary>
    ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken);
}
