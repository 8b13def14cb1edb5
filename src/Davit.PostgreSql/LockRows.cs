using Davit.Locking;
using Davit.Storage;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Write locks, one row per lock in <c>locks</c>, shared by every node. A change (add, refresh, remove) runs under the
/// database's write lock, like every write, so the check for conflicts and the insert are one step on all nodes, and
/// no lock appears between a write's lock check and its commit. Timeouts are kept in whole seconds (-1 for
/// Infinite), expiry in UTC ticks (<see cref="long.MaxValue"/> for never); a lock is live while
/// <c>expires &gt; now</c>, the exact negation of <see cref="ActiveLock.IsExpired"/>.
/// </summary>
internal sealed class LockRows
{
    /// <summary>Paths deeper than this many levels find their ancestors' locks by a scan of the live locks.</summary>
    internal const int DeepPath = 64;

    private const string Columns = "token, root, exclusive, infinite, owner_xml, principal, timeout_seconds, expires";
    private long lastPurge;

    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ISqlScope scope, ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newLock);
        var root = Names.CheckPath(newLock.Root);
        return scope.WriteAsync<IReadOnlyList<ActiveLock>>(async (connection, transaction) =>
        {
            // Expired rows are invisible to every query; deleting them once a second per node is enough to keep the
            // table small, and saves a round trip on most LOCKs.
            if (Environment.TickCount64 - Interlocked.Read(ref lastPurge) > 1000)
            {
                Interlocked.Exchange(ref lastPurge, Environment.TickCount64);
                await Sql.Command(connection, transaction, "DELETE FROM locks WHERE expires <= $1").With(Ticks.From(now)).RunAsync(cancellationToken);
            }

            // Every lock that can conflict is rooted at an ancestor of the new root, at it, or below it;
            // ConflictsWith decides among them, so the rule lives in one place.
            var candidates = await ReadAsync(connection, transaction, newLock.Root, anyDepthAncestors: true, includeDescendants: true, now, cancellationToken);
            var conflicts = candidates.Where(newLock.ConflictsWith).ToList();
            if (conflicts.Count == 0)
            {
                var inserted = await Sql.Command(connection, transaction, $"INSERT INTO locks ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (token) DO NOTHING")
                    .With(newLock.Token).With(root).With(newLock.Scope == LockScope.Exclusive).With(newLock.Depth == LockDepth.Infinity)
                    .With(newLock.OwnerXml).With(newLock.Principal).With(ToSeconds(newLock.Timeout)).With(Ticks.From(newLock.ExpiresUtc))
                    .RunAsync(cancellationToken);
                if (inserted == 0)
                {
                    throw new ArgumentException($"The token {newLock.Token} is held already.", nameof(newLock));
                }
            }

            return conflicts;
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(ISqlScope scope, DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Names.IsStorable(path))
        {
            return ValueTask.FromResult<IReadOnlyList<ActiveLock>>([]);
        }

        return scope.ReadAsync<IReadOnlyList<ActiveLock>>(
            async (connection, transaction) => await ReadAsync(connection, transaction, path, anyDepthAncestors: false, includeDescendants, now, cancellationToken),
            cancellationToken);
    }

    public ValueTask<ActiveLock?> GetAsync(ISqlScope scope, string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        scope.ReadAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, $"SELECT {Columns} FROM locks WHERE token = $1 AND expires > $2")
                    .With(token).With(Ticks.From(now)).FirstAsync(Read, cancellationToken),
            cancellationToken);

    public ValueTask<ActiveLock?> RefreshAsync(ISqlScope scope, string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) =>
        scope.WriteAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, $"UPDATE locks SET timeout_seconds = $3, expires = $4 WHERE token = $1 AND expires > $2 RETURNING {Columns}")
                    .With(token).With(Ticks.From(now)).With(ToSeconds(timeout)).With(Ticks.From(expiresUtc)).FirstAsync(Read, cancellationToken),
            cancellationToken);

    public ValueTask<bool> RemoveAsync(ISqlScope scope, string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        scope.WriteAsync(
            async (connection, transaction) =>
            {
                // An expired row goes too (it is garbage anyway), but only a live one counts as removed.
                var live = await Sql.Command(connection, transaction, "DELETE FROM locks WHERE token = $1 RETURNING expires > $2")
                    .With(token).With(Ticks.From(now)).ScalarAsync<bool?>(cancellationToken);
                return live == true;
            },
            cancellationToken);

    public async ValueTask RemoveTreeAsync(ISqlScope scope, DavPath path, CancellationToken cancellationToken)
    {
        if (!Names.IsStorable(path))
        {
            return;
        }

        var root = path.ToString();
        await scope.WriteAsync(
            async (connection, transaction) => path.IsRoot
                ? await Sql.Command(connection, transaction, "DELETE FROM locks").RunAsync(cancellationToken)
                : await Sql.Command(connection, transaction, "DELETE FROM locks WHERE root = $1 OR (root >= $2 AND root < $3)")
                    .With(root).With(root + "/").With(root + "0").RunAsync(cancellationToken),
            cancellationToken);
    }

    /// <summary>The live locks rooted at <paramref name="path"/>, at its ancestors (only those of depth infinity unless
    /// <paramref name="anyDepthAncestors"/>), and strictly below it when <paramref name="includeDescendants"/>.</summary>
    private static async ValueTask<List<ActiveLock>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, DavPath path,
        bool anyDepthAncestors, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var root = path.ToString();

        // Names compare byte for byte (COLLATE "C"), so the paths below "a" are exactly those from "a/" up to "a0"
        // ('0' follows '/'), an index range; below the root lies everything.
        var below = !includeDescendants ? "false" : path.IsRoot ? "root <> ''" : "(root >= $4 AND root < $5)";

        // A shallow path's ancestors are few, and each is found by the index. A deep one's would be as many strings as
        // levels, each as long as its level is deep (a 2,000-level path makes megabytes of them): there the live
        // locks are scanned instead and an ancestor is a root the path starts with, then a slash (or the root).
        var shallow = path.Segments.Length <= DeepPath;
        var ancestors = new List<string>();
        for (var ancestor = path; shallow && !ancestor.IsRoot;)
        {
            ancestor = ancestor.Parent;
            ancestors.Add(ancestor.ToString());
        }

        var above = shallow ? "root = ANY($3)" : "(root = '' OR (length(root) < length($2) AND left($2, length(root) + 1) = root || '/'))";
        var command = Sql.Command(connection, transaction, $"""
            SELECT {Columns} FROM locks WHERE expires > $1 AND (
                root = $2 OR ({above} AND ($6 OR infinite)) OR {below})
            """).With(Ticks.From(now)).With(root).With(ancestors.ToArray()).With(root + "/").With(root + "0").With(anyDepthAncestors);
        return await command.ListAsync(Read, cancellationToken);
    }

    private static ActiveLock Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        DavPath.Parse(reader.GetString(1)),
        reader.GetBoolean(2) ? LockScope.Exclusive : LockScope.Shared,
        reader.GetBoolean(3) ? LockDepth.Infinity : LockDepth.Zero,
        reader.NullableString(4),
        reader.NullableString(5),
        reader.GetInt64(6) < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(reader.GetInt64(6)),
        Ticks.To(reader.GetInt64(7)));

    // The engine grants whole seconds (RFC 4918 §10.7 "Second-n"); anything finer is not kept.
    private static long ToSeconds(TimeSpan timeout) => timeout == Timeout.InfiniteTimeSpan ? -1 : (long)timeout.TotalSeconds;
}
