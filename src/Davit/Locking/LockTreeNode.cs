namespace Davit.Locking;

/// <summary>
/// One path segment in <see cref="InMemoryLockStore"/>'s tree: the locks rooted at the path it ends, and the nodes
/// below it that lead to other locks. A node exists only while a lock is rooted at it or below it. Read and written
/// under the store's monitor only.
/// </summary>
internal sealed class LockTreeNode(LockTreeNode? parent, string name)
{
    public string Name { get; } = name;

    /// <summary>The number of segments of the path this node ends; 0 for the root.</summary>
    public int Depth { get; } = parent is null ? 0 : parent.Depth + 1;

    public LockTreeNode? Parent { get; private set; } = parent;

    public Dictionary<string, LockTreeNode> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The locks rooted here; usually none or one, a few when they are shared.</summary>
    public List<LockTreeEntry> Entries { get; } = [];

    /// <summary>Removes this node, and then each ancestor, for as long as they hold no locks and lead to none. The
    /// root always stays.</summary>
    public void PruneIfEmpty()
    {
        var node = this;
        while (node.Parent is { } up && node.Entries.Count == 0 && node.Children.Count == 0)
        {
            up.Children.Remove(node.Name);
            node.Parent = null;
            node = up;
        }
    }

    /// <summary>This node and every node below it, depth first, without recursion (paths may be deep).</summary>
    public IEnumerable<LockTreeNode> SelfAndDescendants()
    {
        var pending = new Stack<LockTreeNode>();
        pending.Push(this);
        while (pending.TryPop(out var node))
        {
            yield return node;
            foreach (var child in node.Children.Values)
            {
                pending.Push(child);
            }
        }
    }
}
