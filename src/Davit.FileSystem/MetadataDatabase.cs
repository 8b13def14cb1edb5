using System.Data;
using Davit.Storage;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// The embedded SQLite database holding the store's metadata. Hands out one pooled connection per operation, so
/// parallel requests never share a connection; WAL lets readers run while one writer commits.
/// </summary>
/// <remarks>
/// Writers in this process queue on an async gate before they ask SQLite for its write lock. Left to SQLite alone,
/// a writer that finds the lock taken sleeps in its busy handler (1 ms, then 2, 5, 10 ... 100 ms) and polls again,
/// so under many concurrent writers most of the time is spent asleep with the database idle (bench/lockbomb.sh:
/// 263 LOCK/UNLOCK pairs/s without the gate, about 1000 with it). Writers in other processes sharing the file
/// still meet on SQLite's lock and busy timeout.
/// </remarks>
internal sealed class MetadataDatabase : IDisposable
{
    /// <summary>SQLITE_FULL: the database could not grow.</summary>
    public const int SqliteFull = 13;

    // Migrations[n] takes a database from schema n to n + 1. Append only: a released step never changes, so every
    // database, however old, reaches the current schema by the same path.
    private static readonly string[] Migrations =
    [
        // 0 -> 1: dead properties. WITHOUT ROWID: rows are found by (path, name) and subtrees by a range of path,
        // both on the primary key.
        """
        CREATE TABLE IF NOT EXISTS properties (
            path TEXT NOT NULL,
            name TEXT NOT NULL,
            xml  TEXT NOT NULL,
            PRIMARY KEY (path, name)
        ) WITHOUT ROWID;
        """,

        // 1 -> 2: write locks (see LockRepository for the encoding of each column).
        """
        CREATE TABLE locks (
            token     TEXT    NOT NULL PRIMARY KEY,
            root      TEXT    NOT NULL,
            scope     TEXT    NOT NULL CHECK (scope IN ('exclusive', 'shared')),
            depth     TEXT    NOT NULL CHECK (depth IN ('0', 'infinity')),
            owner_xml TEXT,
            principal TEXT,
            timeout   INTEGER NOT NULL,
            expires   INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX locks_by_root ON locks (root);
        CREATE INDEX locks_by_expiry ON locks (expires);
        """,
    ];

    private static int SchemaVersion => Migrations.Length;

    // Writers queue inside SQLite for up to this long before a request fails with "database is locked".
    private const int BusyTimeoutMilliseconds = 10_000;

    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string connectionString;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    public MetadataDatabase(string path)
    {
        _ = NativeLibrary.Value;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        CreateSchema();
    }

    /// <summary>Opens a connection for one operation; dispose it to return it to the pool.</summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction begun with BEGIN IMMEDIATE and commits it. The transaction holds
    /// the database's write lock from its first statement, so no other connection, in this process or another,
    /// writes between its reads and its writes. A full database becomes a 507.
    /// </summary>
    public async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteFull)
        {
            throw new DavException(507, "The metadata database is out of space.", null, ex);
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Closes the pooled connections, releasing the database file.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void CreateSchema()
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // journal_mode cannot change inside a transaction; it sticks to the file, so setting it again is harmless.
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();

        // One write transaction for read-version-then-migrate: two processes opening an old database at once
        // migrate it once, the second one seeing the version the first one wrote.
        using var transaction = connection.BeginTransaction(deferred: false);
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The metadata database was written by a newer Davit (schema {version}; this one knows {SchemaVersion}).");
        }

        for (; version < SchemaVersion; version++)
        {
            command.CommandText = Migrations[version] + $" PRAGMA user_version = {version + 1};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
