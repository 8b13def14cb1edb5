using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// Where the repositories run their statements: the database on its own (each write its own short transaction), or
/// the write transaction of a request's unit of work (<see cref="FsUnitOfWork"/>), whose statements commit or roll
/// back together and which must not wait for the database's write lock it already holds.
/// </summary>
internal interface IMetadata
{
    /// <summary>Runs <paramref name="work"/> in a write transaction (this one, or a new one committed at once).</summary>
    ValueTask<T> WriteAsync<T>(Func<MetadataConnection, SqliteTransaction, ValueTask<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a connection that sees this scope's writes (the transaction is null
    /// outside a unit of work).</summary>
    ValueTask<T> ReadAsync<T>(Func<MetadataConnection, SqliteTransaction?, ValueTask<T>> work, CancellationToken cancellationToken);
}
