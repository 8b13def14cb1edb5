namespace Davit.Storage.Memory;

/// <summary>A store that keeps everything in memory. (Placeholder.)</summary>
public sealed class InMemoryStore : IDavStore
{
    /// <inheritdoc />
    public ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, DavRequestContext context, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
