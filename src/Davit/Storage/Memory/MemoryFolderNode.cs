namespace Davit.Storage.Memory;

/// <summary>A folder in the store's tree: its members in ordinal name order.</summary>
internal sealed class MemoryFolderNode(string name, DateTimeOffset createdUtc) : MemoryNode(name, createdUtc)
{
    public SortedDictionary<string, MemoryNode> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>When a member was last added, removed or renamed.</summary>
    public DateTimeOffset ModifiedUtc { get; set; } = createdUtc;

    public void Attach(MemoryNode child, DateTimeOffset now)
    {
        Children.Add(child.Name, child);
        child.Parent = this;
        ModifiedUtc = now;
    }

    public void Detach(MemoryNode child, DateTimeOffset now)
    {
        Children.Remove(child.Name);
        child.Parent = null;
        ModifiedUtc = now;
    }

    public override MemoryNode CloneOne(string name, InMemoryStoreState state, DateTimeOffset now) =>
        new MemoryFolderNode(name, now) { Properties = Properties };
}
