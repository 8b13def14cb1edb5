using System.Globalization;
using System.Text;
using Davit.Locking;
using Davit.Storage;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// Write locks, one row per lock in table <c>locks</c>, shared by every process that opens the same database.
/// </summary>
/// <remarks>
/// Columns: <c>root</c> is <see cref="DavPath.ToString"/> ("" for the root); <c>scope</c> is 'exclusive' or
/// 'shared'; <c>depth</c> is '0' or 'infinity'; <c>timeout</c> is in whole seconds, -1 for Infinite;
/// <c>expires</c> is in UTC ticks, <see cref="long.MaxValue"/> for never. A lock is live while
/// <c>expires &gt; now</c>, exactly the negation of <see cref="ActiveLock.IsExpired"/>.
/// </remarks>
internal sealed class LockRepository(IMetadata database)
{
    // Up to this depth a path's ancestors are looked up one by one on the index; deeper, every lock is checked.
    private const int MaxListedAncestors = 32;

    private const string Columns = "token, root, scope, depth, owner_xml, principal, timeout, expires";

    /// <summary>Adds <paramref name="newLock"/> unless a live lock conflicts; returns the conflicting locks.</summary>
    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<ActiveLock>>(async (connection, transaction) =>
        {
            var purge = connection.Command("DELETE FROM locks WHERE expires <= $now;", transaction);
            purge.Parameters.AddWithValue("$now", now.UtcTicks);
            await purge.ExecuteNonQueryAsync(cancellationToken);

            // Every lock that can conflict is rooted at an ancestor of the new root, at the root itself, or below it;
            // ConflictsWith decides among them, so the rule lives in one place.
            var candidates = await ReadAsync(connection, transaction, newLock.Root, anyDepthAncestors: true, includeDescendants: true, now, cancellationToken);
            var conflicts = candidates.Where(newLock.ConflictsWith).ToList();
            if (conflicts.Count == 0)
            {
                var insert = connection.Command(
                    $"INSERT INTO locks ({Columns}) VALUES ($token, $root, $scope, $depth, $owner, $principal, $timeout, $expires);", transaction);
                insert.Parameters.AddWithValue("$token", newLock.Token);
                insert.Parameters.AddWithValue("$root", newLock.Root.ToString());
                insert.Parameters.AddWithValue("$scope", newLock.Scope == LockScope.Shared ? "shared" : "exclusive");
                insert.Parameters.AddWithValue("$depth", newLock.Depth == LockDepth.Infinity ? "infinity" : "0");
                insert.Parameters.AddWithValue("$owner", (object?)newLock.OwnerXml ?? DBNull.Value);
                insert.Parameters.AddWithValue("$principal", (object?)newLock.Principal ?? DBNull.Value);
                insert.Parameters.AddWithValue("$timeout", ToSeconds(newLock.Timeout));
                insert.Parameters.AddWithValue("$expires", ToTicks(newLock.ExpiresUtc));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return conflicts;
        }, cancellationToken);

    /// <summary>The live locks covering <paramref name="path"/>, and those rooted below it when asked.</summary>
    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) =>
        FindAsync(path, includeDescendants, now, null, cancellationToken);

    /// <summary>As <see cref="FindAsync(DavPath, bool, DateTimeOffset, CancellationToken)"/>, with the reading request's
    /// look at the database version when there is one.</summary>
    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, FsReadScope? scope, CancellationToken cancellationToken)
    {
        var snapshot = Snapshot(scope);
        return snapshot is { NoLocks: true }
            ? ValueTask.FromResult<IReadOnlyList<ActiveLock>>([])
            : database.ReadAsync<IReadOnlyList<ActiveLock>>(
                async (connection, transaction) => await NoRowsAsync(connection, snapshot, cancellationToken)
                    ? []
                    : await ReadAsync(connection, transaction, path, anyDepthAncestors: false, includeDescendants, now, cancellationToken),
                cancellationToken);
    }

    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        GetAsync(token, now, null, cancellationToken);

    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, FsReadScope? scope, CancellationToken cancellationToken)
    {
        var snapshot = Snapshot(scope);
        return snapshot is { NoLocks: true } ? ValueTask.FromResult<ActiveLock?>(null) : database.ReadAsync(async (connection, transaction) =>
        {
            if (await NoRowsAsync(connection, snapshot, cancellationToken))
            {
                return null;
            }

            var command = connection.Command($"SELECT {Columns} FROM locks WHERE token = $token AND expires > $now;", transaction);
            command.Parameters.AddWithValue("$token", token);
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
        }, cancellationToken);
    }

    // Outside a unit of work, whether the table holds any row is kept until anything commits (ReadCache): most
    // trees hold no lock at all, and then every PROPFIND and If header finds none without a query. A reading request
    // looks at the version once for all its reads (FsReadScope).
    private ReadCache.Snapshot? Snapshot(FsReadScope? scope) =>
        database is MetadataDatabase shared ? scope?.Snapshot ?? shared.Cache.Current() : null;

    // True when the table is empty, learnt once per version of the database (expired rows count as rows).
    private static async ValueTask<bool> NoRowsAsync(MetadataConnection connection, ReadCache.Snapshot? snapshot, CancellationToken cancellationToken)
    {
        if (snapshot is null || snapshot.LocksKnown)
        {
            return false;
        }

        var command = connection.Command("SELECT EXISTS (SELECT 1 FROM locks);", null);
        var empty = await command.ExecuteScalarAsync(cancellationToken) is long any && any == 0;
        snapshot.SetLocksEmpty(empty);
        return empty;
    }

    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // One statement: the lock cannot expire or vanish between the check and the update.
            var command = connection.Command(
                $"UPDATE locks SET timeout = $timeout, expires = $expires WHERE token = $token AND expires > $now RETURNING {Columns};", transaction);
            command.Parameters.AddWithValue("$token", token);
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            command.Parameters.AddWithValue("$timeout", ToSeconds(timeout));
            command.Parameters.AddWithValue("$expires", ToTicks(expiresUtc));
            return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
        }, cancellationToken);

    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // An expired row goes too (it is garbage anyway), but only a live one counts as removed.
            var command = connection.Command("DELETE FROM locks WHERE token = $token RETURNING expires > $now;", transaction);
            command.Parameters.AddWithValue("$token", token);
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            return await command.ExecuteScalarAsync(cancellationToken) is long live && live != 0;
        }, cancellationToken);

    public async ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            var command = connection.Command($"DELETE FROM locks WHERE {Subtree.Filter(path, "root")};", transaction);
            Subtree.Bind(command.Parameters, path);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Reads the live locks rooted at <paramref name="path"/>, at its ancestors (only those of depth infinity unless
    /// <paramref name="anyDepthAncestors"/>), and strictly below it when <paramref name="includeDescendants"/>.
    /// </summary>
    /// <remarks>The text differs only by the path's depth (up to <see cref="MaxListedAncestors"/>) and the two flags,
    /// so the connection keeps the few texts a tree uses prepared.</remarks>
    private static async ValueTask<List<ActiveLock>> ReadAsync(MetadataConnection connection, SqliteTransaction? transaction, DavPath path,
        bool anyDepthAncestors, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM locks WHERE expires > $now AND (root = $p");
        var ancestors = 0;
        if (path.Segments.Length > MaxListedAncestors)
        {
            // Listing a deep path's ancestors would bind a number of strings, each about as long as the path, that
            // grows with its depth: quadratic. One pass over the (few) locks is linear.
            sql.Append(anyDepthAncestors ? " OR (" : " OR (depth = 'infinity' AND ")
                .Append("(root = '' OR substr($p, 1, length(root) + 1) = root || '/'))");
        }
        else if (!path.IsRoot)
        {
            // The ancestors are few (one per segment) and each is an exact match on the root index; "" is the
            // ancestor of every path.
            ancestors = path.Segments.Length;
            sql.Append(anyDepthAncestors ? " OR (root IN (" : " OR (depth = 'infinity' AND root IN (");
            for (var i = 0; i < ancestors; i++)
            {
                sql.Append(i == 0 ? "$a" : ", $a").Append(i.ToString(CultureInfo.InvariantCulture));
            }

            sql.Append("))");
        }

        if (includeDescendants)
        {
            sql.Append(" OR ").Append(Subtree.Below(path, "root"));
        }

        var command = connection.Command(sql.Append(");").ToString(), transaction);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        Subtree.Bind(command.Parameters, path);
        var ancestor = path;
        for (var i = 0; i < ancestors; i++)
        {
            ancestor = ancestor.Parent;
            command.Parameters.AddWithValue("$a" + i.ToString(CultureInfo.InvariantCulture), ancestor.ToString());
        }

        return await ReadAllAsync(command, cancellationToken);
    }

    private static async ValueTask<List<ActiveLock>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<ActiveLock>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ActiveLock(
                reader.GetString(0),
                DavPath.Parse(reader.GetString(1)),
                reader.GetString(2) == "shared" ? LockScope.Shared : LockScope.Exclusive,
                reader.GetString(3) == "infinity" ? LockDepth.Infinity : LockDepth.Zero,
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                FromSeconds(reader.GetInt64(6)),
                FromTicks(reader.GetInt64(7))));
        }

        return result;
    }

    // The engine grants whole seconds (RFC 4918 §10.7 "Second-n"); anything finer is not kept.
    private static long ToSeconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? -1 : (long)timeout.TotalSeconds;

    private static TimeSpan FromSeconds(long seconds) =>
        seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);

    private static long ToTicks(DateTimeOffset expires) =>
        expires == DateTimeOffset.MaxValue ? long.MaxValue : expires.UtcTicks;

    private static DateTimeOffset FromTicks(long ticks) =>
        ticks == long.MaxValue ? DateTimeOffset.MaxValue : new DateTimeOffset(ticks, TimeSpan.Zero);
}
