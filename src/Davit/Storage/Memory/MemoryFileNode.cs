namespace Davit.Storage.Memory;

/// <summary>A file in the store's tree: its current content version.</summary>
internal sealed class MemoryFileNode(string name, DateTimeOffset createdUtc, MemoryFileVersion version)
    : MemoryNode(name, createdUtc)
{
    public MemoryFileVersion Version { get; set; } = version;

    public override MemoryNode CloneOne(string name, InMemoryStoreState state, DateTimeOffset now)
    {
        // The bytes are immutable and shared; the copy is a new resource, so it gets its own entity tag.
        var version = Version with { ETag = state.NextETag(), ModifiedUtc = now };
        return new MemoryFileNode(name, now, version) { Properties = Properties };
    }
}
