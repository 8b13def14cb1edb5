using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// A write unit of work: one transaction (READ COMMITTED) on one connection, holding the database's write lock from
/// begin to end, so that the writes and lock changes of every node run one after another and a lock cannot be added
/// between the engine's lock check and the write it guards. Disposing it without a commit rolls everything back.
/// Its commit does not wait for the disk while it holds the lock: the lock is released first, then the unit waits for
/// the log flush, shared with the writers that committed meanwhile (see <see cref="CommitAsync"/>).
/// </summary>
/// <remarks>While it runs, the engine's lock store and upload-session store for the request are this object, so that
/// lock changes and the takeover of a finished upload are part of the transaction.</remarks>
internal sealed class PgUnitOfWork : IUnitOfWork, ISqlScope, ILockStore, IUploadSessionStore, IStateScope, IUsageCounter
{
    /// <inheritdoc />
    public ValueTask<long> CountBytesAsync(DavPath path, CancellationToken cancellationToken) =>
        Store.CountBytesAsync(this, path, cancellationToken);

    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private int ended;
    private int gateReleased;

    private PgUnitOfWork(PostgreSqlStore store, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Store = store;
        this.connection = connection;
        this.transaction = transaction;
    }

    public PostgreSqlStore Store { get; }

    public bool InUnit => true;

    public StateScope Scope => StateScope.Shared;

    /// <summary>True until committed or disposed: items resolved in it use its transaction only while it runs.</summary>
    public bool IsActive => Volatile.Read(ref ended) == 0;

    public static async ValueTask<PgUnitOfWork> BeginAsync(PostgreSqlStore store, CancellationToken cancellationToken)
    {
        await store.EnsureReadyAsync(cancellationToken);

        // One waiting connection per process: the others wait here, not in the pool, so the unit holding the lock
        // can always get a second connection when it needs one.
        await store.WriteGate.WaitAsync(cancellationToken);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await store.Database.OpenAsync(cancellationToken);
            var opened = connection;
            var transaction = await store.Database.GuardAsync(async () =>
            {
                var begun = await opened.BeginTransactionAsync(cancellationToken);
                await WriteLock.TakeAsync(opened, begun, cancellationToken, commitWithoutWaiting: true);
                return begun;
            });
            return new PgUnitOfWork(store, connection, transaction);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            store.WriteGate.Release();
            throw;
        }
    }

    /// <summary>
    /// Commits without waiting for the disk, which releases the write lock at once; lets the next writer of this
    /// process in; then waits until the commit is flushed (<see cref="WriteLock.WaitForDiskAsync"/>), so the write is
    /// answered only once it would survive a crash of the database server or a power cut. Writers share flushes this
    /// way: a flush made while the lock was held could serve no one else. As with the file-system store, a write is
    /// visible to other requests from its commit, a moment before it is durable: a crash in that moment loses a
    /// write that nobody was told had succeeded, though another client may have read it. A flush that fails after
    /// the commit fails the request (503), and the change stays.
    /// </summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref ended, 1) != 0)
        {
            throw new InvalidOperationException("The unit of work has ended.");
        }

        await Store.Database.GuardAsync(async () =>
        {
            await transaction.CommitAsync(CancellationToken.None);
            return 0;
        });

        ReleaseGate();
        await Store.Database.GuardAsync(async () =>
        {
            await WriteLock.WaitForDiskAsync(connection);
            return 0;
        });
    }

    private void ReleaseGate()
    {
        if (Interlocked.Exchange(ref gateReleased, 1) == 0)
        {
            Store.WriteGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        var committed = Interlocked.Exchange(ref ended, 1) != 0;
        try
        {
            if (!committed)
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // A broken connection rolls back by itself.
        }
        finally
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            ReleaseGate();
        }
    }

    public ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction?, ValueTask<T>> work, CancellationToken cancellationToken) =>
        Run(() => work(connection, transaction));

    public ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, ValueTask<T>> work, CancellationToken cancellationToken) =>
        Run(() => work(connection, transaction));

    private ValueTask<T> Run<T>(Func<ValueTask<T>> work)
    {
        if (!IsActive)
        {
            throw new InvalidOperationException("The unit of work has ended.");
        }

        return Store.Database.GuardAsync(work);
    }

    // Locks, in this transaction.
    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Locks.TryAddAsync(this, newLock, now, cancellationToken);

    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Locks.FindAsync(this, path, includeDescendants, now, cancellationToken);

    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Locks.GetAsync(this, token, now, cancellationToken);

    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Locks.RefreshAsync(this, token, timeout, expiresUtc, now, cancellationToken);

    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Locks.RemoveAsync(this, token, now, cancellationToken);

    public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) =>
        Store.Locks.RemoveTreeAsync(this, path, cancellationToken);

    // Upload sessions: their rows in this transaction. Bytes are written outside, by the store.
    public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Uploads.GetAsync(this, path, now, cancellationToken);

    public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Uploads.ListAsync(this, path, now, cancellationToken);

    public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken) =>
        Store.CreateAsync(path, totalLength, contentType, now, expiresUtc, cancellationToken);

    public ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken) =>
        Store.WriteAsync(session, offset, data, totalLength, clock, lifetime, cancellationToken);

    public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken) =>
        Store.TruncateAsync(session, bytesSaved, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken) =>
        Store.OpenReadAsync(session, cancellationToken);

    public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken) =>
        Store.Uploads.DeleteAsync(this, session, cancellationToken);

    public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Store.Uploads.DeleteExpiredAsync(this, now, cancellationToken);
}
