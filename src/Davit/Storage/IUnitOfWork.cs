namespace Davit.Storage;

/// <summary>Whether a unit of work only reads or may also write.</summary>
public enum UnitOfWorkMode
{
    /// <summary>GET, HEAD, PROPFIND, REPORT, OPTIONS: nothing is written.</summary>
    Read,

    /// <summary>Every method that changes something: PUT, POST, DELETE, MKCOL, COPY, MOVE, PROPPATCH, LOCK, UNLOCK,
    /// CANCELUPLOAD, and the last step of an upload.</summary>
    Write,
}

/// <summary>
/// One request's work with a store, begun by <see cref="IDavStore.BeginAsync"/> and ended by the engine. A store
/// that works in transactions maps it to one.
/// </summary>
/// <remarks>
/// <para>The engine's order for a write: it reads the request body and stages uploaded bytes first (outside the unit
/// of work, so that a slow client never holds it), then begins the unit of work, resolves the items again, checks
/// the conditional headers, the If header and the lock tokens against what it resolved, makes its changes through the
/// items, and calls <see cref="CommitAsync"/>; only then does it send the status line. A commit that fails is
/// answered as a failure (with the status of its <see cref="StoreException"/>, else 500), never after a 2xx.
/// Disposing a unit of work that was not committed rolls it back.</para>
/// <para>Isolation of a write unit of work: its outcome must be as if it ran alone, before or after every other
/// write unit of work and every lock change made through the store's lock store, on any instance of the store
/// (several processes, several machines). In particular a lock added between the engine's lock check and its write
/// must not be ignored. A store can give this with one write lock held from begin to end (the file-system store
/// holds SQLite's), with serializable transactions (throwing <see cref="StoreException"/> with
/// <see cref="StoreError.Retry"/> when one loses, so that the engine runs the write again), or with row and advisory
/// locks. A read unit of work needs no isolation beyond each read being whole.</para>
/// <para>When the store's lock store or upload session store must take part in the unit of work (to share its
/// transaction), the unit of work may implement <see cref="Locking.ILockStore"/> and
/// <see cref="Uploads.IUploadSessionStore"/> itself: the engine then uses those instead of the store's for as long as
/// the unit of work lasts.</para>
/// </remarks>
public interface IUnitOfWork : IAsyncDisposable
{
    /// <summary>Makes the unit of work's changes permanent and visible. Called at most once.</summary>
    /// <exception cref="StoreException">The changes could not be kept; none of them took effect
    /// (<see cref="StoreError.InsufficientStorage"/>, <see cref="StoreError.Retry"/>, ...).</exception>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}

/// <summary>The unit of work of a store that needs none: committing and disposing do nothing.</summary>
public sealed class NoUnitOfWork : IUnitOfWork
{
    /// <summary>The one instance.</summary>
    public static readonly NoUnitOfWork Instance = new();

    private NoUnitOfWork()
    {
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
