using System.Runtime.CompilerServices;
using System.Xml.Linq;
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

    public async IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(IReadOnlyCollection<XName> requestedProperties, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        if (nextSegment is not null)
        {
            yield return new MountParentFolder(Path.Append(nextSegment), null, CreatedUtc, ModifiedUtc);
        }
    }

    public ValueTask<IFile> CreateFileAsync(string name, Stream content, string? contentType, long totalLength, CancellationToken cancellationToken) =>
        throw ReadOnly();

    public ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken) => throw ReadOnly();

    public ValueTask CopyToAsync(IFolder destinationFolder, string destinationName, bool deep, MultistatusErrors errors, CancellationToken cancellationToken) =>
        throw ReadOnly();

    public ValueTask MoveToAsync(IFolder destinationFolder, string destinationName, MultistatusErrors errors, CancellationToken cancellationToken) =>
        throw ReadOnly();

    public ValueTask DeleteAsync(MultistatusErrors errors, CancellationToken cancellationToken) => throw ReadOnly();

    private static DavException ReadOnly() =>
        new(Microsoft.AspNetCore.Http.StatusCodes.Status405MethodNotAllowed, "Paths above the WebDAV mount are read-only.");
}
