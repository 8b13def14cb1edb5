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
    public static async ValueTask TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        await Sql.Command(connection, transaction, "SELECT pg_advisory_xact_lock($1, $2)")
            .With(Schema.LockClass).With(Schema.WriteLock).RunAsync(cancellationToken);
}
