using Davit.Locking;

namespace Davit.Storage.Memory;

// The store keeps its locks in its state, so instances sharing the state share the locks.
public sealed partial class InMemoryStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) =>
        State.Locks.TryAddAsync(newLock, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) =>
        State.Locks.FindAsync(path, includeDescendants, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        State.Locks.GetAsync(token, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        State.Locks.RefreshAsync(token, timeout, expiresUtc, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        State.Locks.RemoveAsync(token, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) =>
        State.Locks.RemoveTreeAsync(path, cancellationToken);
}
