using System.Collections.Concurrent;
using System.Data;
using Davit.Storage;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// The embedded SQLite database holding the store's metadata. Lends one connection of its own pool per operation
/// (<see cref="MetadataConnection"/>, which keeps its statements prepared), so parallel requests never share a
/// connection; WAL lets readers run while one writer commits.
/// </summary>
/// <remarks>
/// Writers in this process queue on an async gate before they ask SQLite for its write lock. Left to SQLite alone,
/// a writer that finds the lock taken sleeps in its busy handler (1 ms, then 2, 5, 10 ... 100 ms) and polls again,
/// so under many concurrent writers most of the time is spent asleep with the database idle (bench/lockbomb.sh:
/// 263 LOCK/UNLOCK pairs/s without the gate, about 1000 with it). Writers in other processes sharing the file
/// still meet on SQLite's lock and busy timeout.
/// </remarks>
internal sealed class MetadataDatabase : IMetadata, IDisposable
{
    /// <summary>SQLITE_FULL: the database could not grow.</summary>
    public const int SqliteFull = 13;

    // SQLITE_BUSY and SQLITE_LOCKED: another connection held the lock past the busy timeout.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

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

        // 2 -> 3: uploads in progress (see SessionRepository); their bytes are files in the uploads folder.
        """
        CREATE TABLE uploads (
            path          TEXT    NOT NULL PRIMARY KEY,
            id            TEXT    NOT NULL UNIQUE,
            bytes_saved   INTEGER NOT NULL,
            total_length  INTEGER,
            content_type  TEXT,
            created       INTEGER NOT NULL,
            last_saved    INTEGER NOT NULL,
            expires       INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX uploads_by_expiry ON uploads (expires);
        """,

        // 3 -> 4: ids of committed units of work whose undo journal may still be on disk (see UndoJournal).
        """
        CREATE TABLE journal (
            id TEXT NOT NULL PRIMARY KEY
        ) WITHOUT ROWID;
        """,

        // 4 -> 5: the hashes of each file's content, computed as it was written (see HashRepository); valid only
        // while the file's entity tag is the one they were recorded with.
        """
        CREATE TABLE hashes (
            path TEXT NOT NULL PRIMARY KEY,
            etag TEXT NOT NULL,
            sha1 TEXT NOT NULL,
            md5  TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ];

    private static int SchemaVersion => Migrations.Length;

    // Writers queue inside SQLite for up to this long before a request fails with "database is locked".
    private const int BusyTimeoutMilliseconds = 10_000;

    // Open connections kept for the next operation; more may be open at once, and close when they come back.
    private const int MaxIdleConnections = 16;

    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string connectionString;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly string path;
    private readonly Disk.FolderFlushes logFlushes;
    private readonly ConcurrentStack<MetadataConnection> idle = new();
    private bool disposed;

    public MetadataDatabase(string path)
    {
        _ = NativeLibrary.Value;
        this.path = path;
        logFlushes = new Disk.FolderFlushes(FlushLog);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // The pool is ours (idle): a connection stays open with its prepared statements, and closes for real.
            Pooling = false,
        }.ToString();
        CreateSchema();
        Cache = new ReadCache(connectionString, BusyTimeoutMilliseconds);
    }

    /// <summary>Answers of reads outside units of work, valid until anything commits.</summary>
    public ReadCache Cache { get; }

    /// <summary>
    /// Lends an open connection for one operation, from the pool or newly opened; give it back with
    /// <see cref="Return"/>. Its settings (busy timeout, synchronous) were made once, when it was opened.
    /// </summary>
    public MetadataConnection Rent()
    {
        if (idle.TryPop(out var pooled))
        {
            return pooled;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed), this);
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();

            // C calls, not PRAGMA statements: nothing to parse.
            Check(SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, BusyTimeoutMilliseconds), "sqlite3_busy_timeout");

            // Its commits write the log without waiting for the disk; SyncAsync waits, once for every commit before it.
            if (DefersSync)
            {
                Check(SQLitePCL.raw.sqlite3_exec(connection.Handle, "PRAGMA synchronous = NORMAL;"), "PRAGMA synchronous");
            }

            return new MetadataConnection(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes back a connection lent by <see cref="Rent"/>. It is kept open for the next operation unless the pool is
    /// full, the database is disposed, or it cannot be trusted (still in a transaction after an error): then it is
    /// closed.
    /// </summary>
    public void Return(MetadataConnection connection)
    {
        if (connection.EndLease() && !Volatile.Read(ref disposed) && idle.Count < MaxIdleConnections)
        {
            idle.Push(connection);

            // Dispose may have drained the pool between the check and the push.
            if (!Volatile.Read(ref disposed) || !idle.TryPop(out var late))
            {
                return;
            }

            connection = late;
        }

        connection.Dispose();
    }

    /// <summary>The number of open connections waiting in the pool (for tests).</summary>
    internal int IdleConnections => idle.Count;

    private static void Check(int result, string call)
    {
        if (result != SQLitePCL.raw.SQLITE_OK)
        {
            throw new SqliteException($"{call} failed ({result}).", result);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction begun with BEGIN IMMEDIATE and commits it. The transaction holds
    /// the database's write lock from its first statement, so no other connection, in this process or another,
    /// writes between its reads and its writes. A full database becomes a 507.
    /// </summary>
    public async ValueTask<T> WriteAsync<T>(Func<MetadataConnection, SqliteTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        T result;
        await using (var writer = await BeginWriteAsync(cancellationToken))
        {
            result = await RunAsync(work, writer.Connection, writer.Transaction);
            await writer.CommitUnsyncedAsync(cancellationToken);
        }

        await SyncAsync();
        return result;
    }

    /// <summary>
    /// Returns once every transaction committed before this call is on stable storage. Callers that committed
    /// with <see cref="Writer.CommitUnsyncedAsync"/> call it after releasing the write lock: writers that committed
    /// meanwhile share one fsync of the log (<see cref="Disk.FolderFlushes"/>), where SQLite's own synchronous commit
    /// would make each of them wait for one while holding the lock.
    /// </summary>
    /// <remarks>
    /// Connections run with <c>synchronous = NORMAL</c>: a commit appends its frames to the write-ahead log without
    /// an fsync, and SQLite still syncs the log before a checkpoint copies it into the database, so a power cut can
    /// lose only the latest commits, never corrupt the file (the log is a chain of checksummed frames: recovery keeps
    /// the commits before the first missing one). An fsync of the log after a commit makes that commit and every
    /// earlier one durable, whichever connection or process wrote them: on Linux it flushes the file's every dirty
    /// page. Once a checkpoint has copied the log into the database and synced it, the log may start over, so a log
    /// that has since started again or been deleted holds nothing of ours that the database file does not.
    /// Windows keeps SQLite's synchronous commits (there is no fsync of a file opened elsewhere here).
    /// </remarks>
    public ValueTask SyncAsync() => DefersSync ? logFlushes.FlushAsync(path + "-wal") : ValueTask.CompletedTask;

    private static bool DefersSync => !OperatingSystem.IsWindows();

    private void FlushLog(string log)
    {
        try
        {
            DirectoryFlush.Flush(log);
        }
        catch (IOException) when (!File.Exists(log))
        {
            // The last connection closed: the log was checkpointed into the database, which is flushed now.
            DirectoryFlush.Flush(path);
        }
    }

    /// <summary>Runs statements of a write transaction; a database that cannot grow is out of space (507).</summary>
    public static async ValueTask<T> RunAsync<T>(Func<MetadataConnection, SqliteTransaction, ValueTask<T>> work, MetadataConnection connection, SqliteTransaction transaction)
    {
        try
        {
            return await work(connection, transaction);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteFull)
        {
            throw new Storage.StoreException(Storage.StoreError.InsufficientStorage, "The metadata database is out of space.", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<T> ReadAsync<T>(Func<MetadataConnection, SqliteTransaction?, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var connection = Rent();
        try
        {
            return await work(connection, null);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>
    /// Takes the write lock (this process's writers queue on a gate first, then SQLite's lock is taken with BEGIN
    /// IMMEDIATE, which other processes wait for) and returns the open transaction. Disposing it without committing
    /// rolls back; either way the lock is released.
    /// </summary>
    /// <exception cref="Storage.StoreException"><see cref="Storage.StoreError.Unavailable"/> when another process
    /// held the database's lock for longer than the busy timeout.</exception>
    public async ValueTask<Writer> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        MetadataConnection? connection = null;
        try
        {
            connection = Rent();
            var transaction = connection.Connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            return new Writer(this, connection, transaction);
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                Return(connection);
            }

            writeGate.Release();
            throw ex is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }
                ? new Storage.StoreException(Storage.StoreError.Unavailable, "The metadata database is held by another process.", ex)
                : ex;
        }
    }

    /// <summary>A write transaction holding the database's write lock.</summary>
    internal sealed class Writer(MetadataDatabase database, MetadataConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        private bool ended;
        private bool disposed;

        public MetadataConnection Connection => connection;

        public SqliteTransaction Transaction => transaction;

        /// <summary>Commits and waits until the commit is durable; a full database becomes
        /// <see cref="Storage.StoreError.InsufficientStorage"/>.</summary>
        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            await CommitUnsyncedAsync(cancellationToken);
            await database.SyncAsync();
        }

        /// <summary>
        /// Commits without waiting for the disk: the change is visible to every reader at once, but survives a power
        /// cut only once <see cref="MetadataDatabase.SyncAsync"/>, called after this, has returned. Nothing may be
        /// acknowledged, and nothing that depends on the commit made durable, before that.
        /// </summary>
        public async ValueTask CommitUnsyncedAsync(CancellationToken cancellationToken)
        {
            try
            {
                await transaction.CommitAsync(cancellationToken);
                ended = true;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteFull)
            {
                throw new Storage.StoreException(Storage.StoreError.InsufficientStorage, "The metadata database is out of space.", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            try
            {
                if (!ended)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                }
            }
            catch (SqliteException)
            {
                // A failed commit may have rolled back already; a connection still in a transaction is closed.
            }
            finally
            {
                await transaction.DisposeAsync();
                database.Return(connection);
                database.writeGate.Release();
            }
        }
    }

    /// <summary>Closes the pooled connections, releasing the database file; connections lent out are closed when
    /// they come back.</summary>
    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        Cache.Dispose();
        while (idle.TryPop(out var connection))
        {
            connection.Dispose();
        }
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
