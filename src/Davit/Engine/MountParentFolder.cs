using Davit.Storage;

namespace Davit.Engine;

/// <summary>
/// A read-only collection standing for a path above the WebDAV mount ("/" or "/a" when the store is mounted at
/// "/a/b"), so that PROPFIND there answers as the Windows mini-redirector expects before it maps a drive. It has
/// one member, the next collection on the way down to the mount, which itself has none. Only OPTIONS and PROPFIND
/// ever reach it; the write members are never called.
/// </summary>
internal sealed class MountParentFolder(DavPath path, string? nextSegment, DateTimeOffset createdUtc, DateTimeOffset modifiedUtc) : IFolder
{
    public string Name => Path.IsRoot ? string.Empty : Path.Segments[^1];

    public DavPath Path { get; } = path;

    public DateTimeOffset CreatedUtc { get; } = createdUtc;

    public DateTimeOffset ModifiedUtc { get; } = modifiedUtc;

    public IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(PropertySelection properties, CancellationToken cancellationToken)
    {
        IHierarchyItem[] members = nextSegment is null ? [] : [new MountParentFolder(Path.Append(nextSegment), null, CreatedUtc, ModifiedUtc)];
        return members.ToAsyncEnumerable();
    }

    public ValueTask<IFile> CreateFileAsync(string name, FileContent content, CancellationToken cancellationToken) => throw ReadOnly();

    public ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken) => throw ReadOnly();

    public ValueTask DeleteAsync(CancellationToken cancellationToken) => throw ReadOnly();

    private static StoreException ReadOnly() => new(StoreError.Forbidden, "Paths above the WebDAV mount are read-only.");
}
