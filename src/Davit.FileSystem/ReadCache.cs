using System.Collections.Concurrent;
using Davit.Storage;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// What reads outside a unit of work found in the metadata database (whether the locks table is empty, each path's
/// dead properties), kept while nobody commits: a PROPFIND Depth 0 then asks SQLite one cheap question instead of
/// opening two pooled connections and parsing two statements.
/// </summary>
/// <remarks>
/// <para>Validity: SQLite's <c>PRAGMA data_version</c>, read on a connection of its own that never writes, changes
/// whenever any other connection commits, in this process or in another one sharing the database file (WAL keeps the
/// counter in shared memory). Every cached answer is tagged with the version read before its query ran, and used only
/// while the version read afterwards is the same; a commit between the version and the query therefore only costs a
/// query more, never a stale answer. The dead properties and locks that another process writes are thus seen on the
/// very next request, as without the cache. A reading request looks once, at its first lock or property read, and
/// uses that snapshot for the rest (<see cref="FsReadScope"/>).</para>
/// <para>Reads inside a write unit of work never come here: they must see that unit's uncommitted writes.</para>
/// </remarks>
internal sealed class ReadCache : IDisposable
{
    // A bound on the paths whose properties are kept for one version; past it, reads go to the database.
    private const int MaxPaths = 4096;

    private readonly Lock gate = new();
    private readonly SqliteConnection connection;
    private readonly SQLitePCL.sqlite3_stmt version;
    private Snapshot current = new(-1);
    private bool disposed;

    public ReadCache(string connectionString, int busyTimeoutMilliseconds)
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        _ = SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, busyTimeoutMilliseconds);

        // Parsed once and stepped directly: a SqliteCommand would add a data reader and its allocations to every look.
        var result = SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle, "PRAGMA data_version;", out version);
        if (result != SQLitePCL.raw.SQLITE_OK)
        {
            version?.Dispose();
            connection.Dispose();
            throw new SqliteException($"Could not prepare PRAGMA data_version ({result}).", result);
        }
    }

    /// <summary>The answers valid now (an empty set when something was committed since the last look).</summary>
    public Snapshot Current()
    {
        long stamp;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var result = SQLitePCL.raw.sqlite3_step(version);
            if (result != SQLitePCL.raw.SQLITE_ROW)
            {
                _ = SQLitePCL.raw.sqlite3_reset(version);
                throw new SqliteException($"PRAGMA data_version failed ({result}).", result);
            }

            stamp = SQLitePCL.raw.sqlite3_column_int64(version, 0);
            _ = SQLitePCL.raw.sqlite3_reset(version);
        }

        var snapshot = Volatile.Read(ref current);
        if (snapshot.Stamp == stamp)
        {
            return snapshot;
        }

        // Versions only grow; a reader that looked before a newer one was installed gets a snapshot of its own.
        var fresh = new Snapshot(stamp);
        if (stamp > snapshot.Stamp)
        {
            Interlocked.CompareExchange(ref current, fresh, snapshot);
        }

        return fresh;
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            version.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>Answers read while the database was at one version.</summary>
    internal sealed class Snapshot(long stamp)
    {
        private readonly ConcurrentDictionary<string, IReadOnlyList<(string Name, DeadProperty Property)>> properties = new(StringComparer.Ordinal);
        private int locksEmpty; // 0 unknown, 1 empty, 2 not empty

        public long Stamp => stamp;

        /// <summary>True when the locks table is known to hold no row at this version.</summary>
        public bool NoLocks => Volatile.Read(ref locksEmpty) == 1;

        /// <summary>True when whether the table holds a row is known at this version.</summary>
        public bool LocksKnown => Volatile.Read(ref locksEmpty) != 0;

        public void SetLocksEmpty(bool empty) => Volatile.Write(ref locksEmpty, empty ? 1 : 2);

        public bool TryGetProperties(string path, out IReadOnlyList<(string Name, DeadProperty Property)> rows) =>
            properties.TryGetValue(path, out rows!);

        public void AddProperties(string path, IReadOnlyList<(string Name, DeadProperty Property)> rows)
        {
            if (properties.Count < MaxPaths)
            {
                properties.TryAdd(path, rows);
            }
        }
    }
}
