using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Where an item's statements run: in the request's write unit of work (its transaction, which holds the write lock),
/// or, outside one, on a connection of the pool, a write then getting a short transaction of its own that takes the
/// same lock.
/// </summary>
internal interface ISqlScope
{
    /// <summary>True inside a unit of work: what the request changed is visible only here until it commits.</summary>
    bool InUnit { get; }

    /// <summary>Runs reads. Database failures are mapped to store outcomes.</summary>
    ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction?, ValueTask<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs writes, all or nothing, serialized with every other write and lock change of every node.</summary>
    ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, ValueTask<T>> work, CancellationToken cancellationToken);
}

/// <summary>Statements outside any unit of work: each read on a pooled connection, each write in a transaction of its
/// own.</summary>
internal sealed class AutoScope(PostgreSqlStore store) : ISqlScope
{
    public bool InUnit => false;

    public async ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction?, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await store.EnsureReadyAsync(cancellationToken);
        return await store.Database.GuardAsync(async () =>
        {
            await using var connection = await store.Database.OpenAsync(cancellationToken);
            return await work(connection, null);
        });
    }

    public async ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await store.EnsureReadyAsync(cancellationToken);
        await store.WriteGate.WaitAsync(cancellationToken);
        try
        {
            return await store.Database.GuardAsync(async () =>
            {
                await using var connection = await store.Database.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await WriteLock.TakeAsync(connection, transaction, cancellationToken);
                var result = await work(connection, transaction);

                // The work is done: a client that leaves now does not undo it.
                await transaction.CommitAsync(CancellationToken.None);
                return result;
            });
        }
        finally
        {
            store.WriteGate.Release();
        }
    }
}

/// <summary>The write lock: one advisory lock per database, held by a writing transaction until it ends.</summary>
internal static class WriteLock
{
    /// <summary>Takes the lock for <paramref name="transaction"/>.</summary>
    /// <param name="connection">The transaction's connection.</param>
    /// <param name="transaction">The writing transaction, which holds the lock until it ends.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <param name="commitWithoutWaiting">True when the caller will wait for the disk itself after the commit (see
    /// <see cref="PgUnitOfWork.CommitAsync"/>): the transaction's commit then does not wait for its log flush, so the
    /// lock, released by the commit, is not held during the flush.</param>
    public static async ValueTask TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken, bool commitWithoutWaiting = false) =>
        await Sql.Command(connection, transaction, commitWithoutWaiting
                ? "SELECT pg_advisory_xact_lock($1, $2), set_config('synchronous_commit', 'off', true)"
                : "SELECT pg_advisory_xact_lock($1, $2)")
            .With(Schema.LockClass).With(Schema.WriteLock).RunAsync(cancellationToken);

    /// <summary>
    /// Returns once everything committed on <paramref name="connection"/> so far is as durable as the server's own
    /// <c>synchronous_commit</c> makes a commit. A transaction of its own writes a tiny transactional logical
    /// message (prefix <c>davit-flush</c>, empty; ignored unless someone decodes the log logically, and filtered by
    /// its prefix there) so that it has a commit record whose commit waits for the flush: the log is flushed in
    /// order, so every earlier record is durable with it. A transaction that only took an id would not do: one that
    /// wrote nothing else to the log commits without waiting. Writers that get here at about the same time share one
    /// flush (PostgreSQL flushes the log as far as it was written).
    /// </summary>
    public static async ValueTask WaitForDiskAsync(NpgsqlConnection connection) =>
        await Sql.Command(connection, null, "SELECT pg_logical_emit_message(true, 'davit-flush', '')").RunAsync(CancellationToken.None);
}
