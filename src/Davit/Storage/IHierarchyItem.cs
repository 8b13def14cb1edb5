namespace Davit.Storage;

/// <summary>
/// A file or a folder. Every item a store returns implements <see cref="IFile"/> or <see cref="IFolder"/>, and may
/// implement optional capabilities (<see cref="IDeadProperties"/>, <see cref="IModificationTime"/>, and on folders
/// <see cref="ICopyTarget"/>, <see cref="IMoveTarget"/>, <see cref="ITreeDelete"/>) that the engine probes with
/// <c>is</c>.
/// </summary>
/// <remarks>
/// An item belongs to the request (and the unit of work) it was resolved in; the engine never keeps one longer.
/// Trees are the engine's business: COPY, MOVE and DELETE of a folder are walks over these primitives unless the
/// store offers a whole-tree capability. Failures: <see cref="StoreException"/> as <see cref="IDavStore"/> says.
/// </remarks>
public interface IHierarchyItem
{
    /// <summary>The item's name: the last segment of its path. Empty for the root.</summary>
    string Name { get; }

    /// <summary>The path of the item relative to the WebDAV root (the engine builds the href from it).</summary>
    DavPath Path { get; }

    /// <summary>When the item was created, in UTC.</summary>
    DateTimeOffset CreatedUtc { get; }

    /// <summary>
    /// When the item's content last changed, in UTC. For a file this changes only when its content changes: never
    /// on property changes, locks or unlocks (macOS Finder relies on this).
    /// </summary>
    DateTimeOffset ModifiedUtc { get; }

    /// <summary>
    /// Deletes this item and its dead properties: a file, or a folder that has no members (the engine deletes the
    /// members first, unless the folder implements <see cref="ITreeDelete"/>).
    /// </summary>
    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/> when it is gone already;
    /// <see cref="StoreError.Conflict"/> when a folder still has members; <see cref="StoreError.Forbidden"/> when it
    /// may not be deleted (the root, for example).</exception>
    ValueTask DeleteAsync(CancellationToken cancellationToken);
}
