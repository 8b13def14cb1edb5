namespace Davit.Locking;

/// <summary>A lock held in <see cref="InMemoryLockStore"/>, and the node it is rooted at. A refresh replaces
/// <see cref="Lock"/>; the root never changes.</summary>
internal sealed class LockTreeEntry(ActiveLock activeLock, LockTreeNode node)
{
    public ActiveLock Lock { get; set; } = activeLock;

    public LockTreeNode Node { get; } = node;
}
