namespace Davit.Storage;

/// <summary>
/// A file or a folder. Every item a store returns implements <see cref="IFile"/> or <see cref="IFolder"/>, and may
/// implement optional capabilities (<see cref="IDeadProperties"/>, <see cref="IPhysicalFile"/>) that the engine
/// probes with <c>is</c>.
/// </summary>
/// <remarks>
/// Failure statuses: a member that throws <see cref="DavException"/> ends the request with that exception's
/// status (and its DAV:error condition, if any). Any other exception becomes 500 and is logged with its stack trace.
/// An <see cref="OperationCanceledException"/> after the client went away is logged at Debug and answers nothing.
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
    /// Copies this item to <paramref name="destinationName"/> inside <paramref name="destinationFolder"/>, with its
    /// dead properties. The engine has already removed anything at the destination (Overwrite: T) or refused the
    /// request (Overwrite: F, 412), checked that the destination is not inside the source (403), and that the
    /// destination folder exists (409).
    /// </summary>
    /// <param name="destinationFolder">The folder that receives the copy, from the same store.</param>
    /// <param name="destinationName">The name of the copy; a valid <see cref="DavPath"/> segment.</param>
    /// <param name="deep">For a folder: true to copy all members (Depth: infinity), false to create an empty
    /// folder with this folder's properties (Depth: 0). Ignored for files.</param>
    /// <param name="errors">Where a folder records members it could not copy; the engine answers 207 when any.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <exception cref="DavException">507 when space runs out before anything was copied; 403 when the copy is
    /// not allowed.</exception>
    ValueTask CopyToAsync(IFolder destinationFolder, string destinationName, bool deep, MultistatusErrors errors, CancellationToken cancellationToken);

    /// <summary>
    /// Moves (renames) this item, with its members and dead properties, to <paramref name="destinationName"/> in
    /// <paramref name="destinationFolder"/>. The engine has made the same checks as for
    /// <see cref="CopyToAsync"/>. A move within one store should be atomic for a single file.
    /// </summary>
    /// <exception cref="DavException">403 when the move is not allowed; 507 when space runs out.</exception>
    ValueTask MoveToAsync(IFolder destinationFolder, string destinationName, MultistatusErrors errors, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes this item, its members, and their dead properties. A member that cannot be deleted is recorded in
    /// <paramref name="errors"/>, and so are none of its ancestors' (RFC 4918 §9.6.1: the engine reports only
    /// the failed members); the rest of the tree is still deleted.
    /// </summary>
    /// <exception cref="DavException">403 when the item must not be deleted (the root, for example).</exception>
    ValueTask DeleteAsync(MultistatusErrors errors, CancellationToken cancellationToken);
}
