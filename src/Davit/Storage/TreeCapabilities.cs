namespace Davit.Storage;

/// <summary>
/// Optional capability of a folder: it can take in a whole item of the same store, with its members and dead
/// properties, in one step (a rename on disk, one UPDATE in a database), so that MOVE of a folder costs the same
/// whatever its size.
/// </summary>
/// <remarks>Fallback when a folder does not implement it, or answers false: the engine copies the tree with the
/// primitives (or <see cref="ICopyTarget"/>) and then deletes the source. Locks are the engine's business: they do
/// not travel with a moved item.</remarks>
public interface IMoveTarget
{
    /// <summary>
    /// Moves <paramref name="source"/> into this folder under <paramref name="name"/>, atomically: afterwards the
    /// item is at the new path with all its members and properties, or, on failure, still where it was.
    /// </summary>
    /// <param name="name">The new name; a valid <see cref="DavPath"/> segment.</param>
    /// <param name="source">An item resolved from the same store in the same request; never this folder or one of
    /// its ancestors (the engine refuses those first).</param>
    /// <param name="replace">When something is mapped at <paramref name="name"/>: true to replace it (it is gone
    /// only once the move succeeded; a failed move leaves it as it was), false to fail with
    /// <see cref="StoreError.AlreadyExists"/>.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <returns>True when moved; false, having changed nothing, when this store cannot move that item in one step
    /// (across devices, say), so that the engine falls back.</returns>
    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/> when the source or this folder is gone;
    /// <see cref="StoreError.AlreadyExists"/>; <see cref="StoreError.InsufficientStorage"/>;
    /// <see cref="StoreError.Forbidden"/>.</exception>
    ValueTask<bool> MoveIntoAsync(string name, IHierarchyItem source, bool replace, CancellationToken cancellationToken);
}

/// <summary>
/// Optional capability of a folder: it can copy a whole item of the same store into itself faster than the engine's
/// walk (copy-on-write, a kernel copy, set-based SQL).
/// </summary>
/// <remarks>Fallback when a folder does not implement it, or answers false: the engine walks the tree, creating each
/// folder, copying each file's bytes through <see cref="IFolder.CreateFileAsync"/>, and each item's dead properties
/// through <see cref="IDeadProperties"/>.</remarks>
public interface ICopyTarget
{
    /// <summary>
    /// Copies <paramref name="source"/> into this folder under <paramref name="name"/>, with its dead properties and,
    /// when <paramref name="deep"/>, all its members. With <paramref name="replace"/>, whatever is at the name is
    /// replaced only once the copy exists (stage, then swap): a copy that fails leaves the destination as it was.
    /// </summary>
    /// <param name="name">The name of the copy; a valid <see cref="DavPath"/> segment.</param>
    /// <param name="source">An item resolved from the same store in the same request; never this folder or one of
    /// its ancestors.</param>
    /// <param name="deep">For a folder: true to copy its members too (Depth: infinity), false for an empty folder
    /// with the source's properties (Depth: 0). Ignored for files.</param>
    /// <param name="replace">When something is mapped at <paramref name="name"/>: true to replace it, false to fail
    /// with <see cref="StoreError.AlreadyExists"/>.</param>
    /// <param name="errors">Where members below the copy that could not be copied are recorded (by their
    /// destination path); the engine answers 207 when there are any. The rest of the tree is still copied.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <returns>True when copied (perhaps with member errors); false, having changed nothing, to let the engine walk
    /// the tree instead.</returns>
    /// <exception cref="StoreException">As <see cref="IMoveTarget.MoveIntoAsync"/>, for the copy as a whole.</exception>
    ValueTask<bool> CopyIntoAsync(string name, IHierarchyItem source, bool deep, bool replace, TreeErrors errors, CancellationToken cancellationToken);
}

/// <summary>Optional capability of a folder: it can delete itself with all its members in one step.</summary>
/// <remarks>Fallback when a folder does not implement it, or answers false: the engine deletes the members depth first
/// with <see cref="IHierarchyItem.DeleteAsync"/>, then the folder.</remarks>
public interface ITreeDelete
{
    /// <summary>
    /// Deletes this folder, its members and their dead properties. A member that cannot be deleted is recorded in
    /// <paramref name="errors"/>, and so are none of its ancestors (RFC 4918 §9.6.1: only the failed members are
    /// reported); the rest of the tree is still deleted.
    /// </summary>
    /// <returns>True when done (perhaps with member errors); false, having changed nothing, to let the engine walk.</returns>
    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/>; <see cref="StoreError.Forbidden"/> (the
    /// root).</exception>
    ValueTask<bool> DeleteTreeAsync(TreeErrors errors, CancellationToken cancellationToken);
}
