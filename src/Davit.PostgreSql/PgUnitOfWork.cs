using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// A write unit of work: one transaction (READ COMMITTED) on one connection, holding the database's write lock from
/// begin to end, so that the writes and lock changes of every node run one after another and a lock cannot be added
/// between the engine's lock check and the write it guards. Disposing it without a commit rolls everything back.
/// </summary>
/// <remarks>While it runs, the engine's lock store and upload-session store for the request are this object, so that
/// lock changes and the takeover of a finished upload are part of the transaction.</remarks>
internal sealed class PgUnitOfWork : IUnitOfWork, ISqlScope, ILockStore, IUploadSessionStore, IStateScope
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private int ended;

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
                await WriteLock.TakeAsync(opened, begun, cancellationToken);
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
            Store.WriteGate.Release();
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
