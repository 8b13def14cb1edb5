using Davit.Storage;

namespace Davit.Locking;

/// <summary>
/// The default lock store: keeps locks in memory, so they last as long as the process and are seen by this server
/// only. Registered as a singleton service.
/// </summary>
/// <remarks>
/// Locks are kept in a tree that mirrors their root paths, plus an index by token. Finding the locks that cover a
/// path walks one branch of the tree, and a conflict check also walks the subtree below a depth-infinity lock, so
/// the cost of a request grows with the depth of its path and the locks below it, never with the number of locks
/// held elsewhere (litmus lockbomb: many clients locking and unlocking separate files at once). One monitor guards
/// everything; it is held for a few dictionary operations and never across an await.
/// </remarks>
public sealed class InMemoryLockStore : ILockStore
{
    // A full sweep for expired locks costs one pass over all of them; running it after as many additions as there
    // were locks after the last sweep (and at least this many) keeps its cost per addition constant.
    private const int MinimumAddsBetweenSweeps = 256;

    private readonly Lock gate = new();
    private readonly Dictionary<string, LockTreeEntry> byToken = new(StringComparer.Ordinal);
    private readonly LockTreeNode tree = new(parent: null, name: string.Empty);
    private int addsUntilSweep = MinimumAddsBetweenSweeps;

    /// <summary>How many locks are held, expired ones not yet reclaimed included. For tests.</summary>
    internal int Count
    {
        get
        {
            lock (gate)
            {
                return byToken.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newLock);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (byToken.TryGetValue(newLock.Token, out var existing))
            {
                if (!existing.Lock.IsExpired(now))
                {
                    throw new ArgumentException($"A lock with the token '{newLock.Token}' is already held.", nameof(newLock));
                }

                Detach(existing);
            }

            var conflicts = new List<ActiveLock>();

            // A lock that conflicts with the new one either covers its root, so it is rooted on the branch from the
            // store's root down to the new root, or is covered by it, so it is rooted below a depth-infinity root.
            var node = CollectBranch(newLock.Root, now, candidate => candidate.ConflictsWith(newLock), conflicts, out var rootNode);
            if (newLock.Depth == LockDepth.Infinity && rootNode is not null)
            {
                CollectBelow(rootNode, now, candidate => candidate.ConflictsWith(newLock), conflicts);
            }

            if (conflicts.Count > 0)
            {
                node.PruneIfEmpty();
                return ValueTask.FromResult<IReadOnlyList<ActiveLock>>(conflicts);
            }

            node = rootNode ?? CreateBranch(node, newLock.Root);
            var entry = new LockTreeEntry(newLock, node);
            node.Entries.Add(entry);
            byToken.Add(newLock.Token, entry);
            SweepWhenDue(now);
            return ValueTask.FromResult<IReadOnlyList<ActiveLock>>([]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var found = new List<ActiveLock>();
        lock (gate)
        {
            var node = CollectBranch(path, now, _ => true, found, out var pathNode);
            if (includeDescendants && pathNode is not null)
            {
                CollectBelow(pathNode, now, _ => true, found);
            }

            node.PruneIfEmpty();
        }

        return ValueTask.FromResult<IReadOnlyList<ActiveLock>>(found);
    }

    /// <inheritdoc />
    public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return ValueTask.FromResult(FindUnexpired(token, now)?.Lock);
        }
    }

    /// <inheritdoc />
    public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (FindUnexpired(token, now) is not { } entry)
            {
                return ValueTask.FromResult<ActiveLock?>(null);
            }

            entry.Lock = entry.Lock with { Timeout = timeout, ExpiresUtc = expiresUtc };
            return ValueTask.FromResult<ActiveLock?>(entry.Lock);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (FindUnexpired(token, now) is not { } entry)
            {
                return ValueTask.FromResult(false);
            }

            Detach(entry);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (FindNode(path) is not { } node)
            {
                return ValueTask.CompletedTask;
            }

            foreach (var entry in node.SelfAndDescendants().SelectMany(n => n.Entries))
            {
                byToken.Remove(entry.Lock.Token);
            }

            node.Entries.Clear();
            node.Children.Clear();
            node.PruneIfEmpty();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Adds to <paramref name="found"/> the unexpired locks matching <paramref name="filter"/> that cover
    /// <paramref name="path"/>: every lock rooted at it, and the depth-infinity locks rooted above it. Reclaims the
    /// expired locks it passes, so the caller must prune the deepest node on the branch, which it returns, unless it
    /// adds a lock there. <paramref name="pathNode"/> is the node of the path itself, or null when no lock is rooted
    /// at or below it.
    /// </summary>
    private LockTreeNode CollectBranch(DavPath path, DateTimeOffset now, Func<ActiveLock, bool> filter, List<ActiveLock> found, out LockTreeNode? pathNode)
    {
        var segments = path.Segments;
        var node = tree;
        for (var depth = 0; ; depth++)
        {
            var isPath = depth == segments.Length;
            RemoveExpired(node, now);
            foreach (var entry in node.Entries)
            {
                if ((isPath || entry.Lock.Depth == LockDepth.Infinity) && filter(entry.Lock))
                {
                    found.Add(entry.Lock);
                }
            }

            if (isPath)
            {
                pathNode = node;
                return node;
            }

            if (!node.Children.TryGetValue(segments[depth], out var child))
            {
                pathNode = null;
                return node;
            }

            node = child;
        }
    }

    /// <summary>Adds to <paramref name="found"/> the unexpired locks matching <paramref name="filter"/> rooted
    /// strictly below <paramref name="node"/>.</summary>
    private void CollectBelow(LockTreeNode node, DateTimeOffset now, Func<ActiveLock, bool> filter, List<ActiveLock> found)
    {
        foreach (var descendant in node.SelfAndDescendants().Skip(1))
        {
            foreach (var entry in descendant.Entries)
            {
                if (!entry.Lock.IsExpired(now) && filter(entry.Lock))
                {
                    found.Add(entry.Lock);
                }
            }
        }
    }

    private LockTreeEntry? FindUnexpired(string token, DateTimeOffset now)
    {
        if (!byToken.TryGetValue(token, out var entry))
        {
            return null;
        }

        if (entry.Lock.IsExpired(now))
        {
            Detach(entry);
            return null;
        }

        return entry;
    }

    private LockTreeNode? FindNode(DavPath path)
    {
        var node = tree;
        foreach (var segment in path.Segments)
        {
            if (!node.Children.TryGetValue(segment, out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    /// <summary>Creates the nodes from <paramref name="from"/>, the deepest existing node on the branch, down to
    /// <paramref name="path"/>.</summary>
    private static LockTreeNode CreateBranch(LockTreeNode from, DavPath path)
    {
        var node = from;
        var segments = path.Segments;
        for (var depth = node.Depth; depth < segments.Length; depth++)
        {
            var child = new LockTreeNode(node, segments[depth]);
            node.Children.Add(child.Name, child);
            node = child;
        }

        return node;
    }

    private void Detach(LockTreeEntry entry)
    {
        byToken.Remove(entry.Lock.Token);
        entry.Node.Entries.Remove(entry);
        entry.Node.PruneIfEmpty();
    }

    private void RemoveExpired(LockTreeNode node, DateTimeOffset now)
    {
        for (var i = node.Entries.Count - 1; i >= 0; i--)
        {
            if (node.Entries[i].Lock.IsExpired(now))
            {
                byToken.Remove(node.Entries[i].Lock.Token);
                node.Entries.RemoveAt(i);
            }
        }
    }

    private void SweepWhenDue(DateTimeOffset now)
    {
        if (--addsUntilSweep > 0)
        {
            return;
        }

        foreach (var expired in byToken.Values.Where(e => e.Lock.IsExpired(now)).ToList())
        {
            Detach(expired);
        }

        addsUntilSweep = Math.Max(MinimumAddsBetweenSweeps, byToken.Count);
    }
}
