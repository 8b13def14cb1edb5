using Davit.Locking;
using Davit.Storage;

namespace Davit.PostgreSql;

/// <summary>The store keeps its own write locks, in its database, shared by every server (see <see cref="LockRows"/>).
/// Inside a write unit of work the engine uses the unit's view, so that a lock and the write it guards are one
/// transaction.</summary>
public sealed partial class PostgreSqlStore : ILockStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.TryAddAsync(Auto, newLock, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.FindAsync(Auto, path, includeDescendants, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.GetAsync(Auto, token, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.RefreshAsync(Auto, token, timeout, expiresUtc, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locks.RemoveAsync(Auto, token, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) =>
        Locks.RemoveTreeAsync(Auto, path, cancellationToken);
}
