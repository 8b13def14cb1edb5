namespace Davit.Storage;

/// <summary>A folder (a WebDAV collection).</summary>
public interface IFolder : IHierarchyItem
{
    /// <summary>
    /// Enumerates the direct members of this folder. Called by PROPFIND Depth 1, GET's listing and the engine's
    /// tree walks (COPY, MOVE, DELETE). Members are streamed to the client as they come, so a store should yield
    /// them as it reads them.
    /// </summary>
    /// <param name="properties">Which dead properties the caller will read from each member, so that a store can
    /// fetch the members with their properties in one query and answer the members'
    /// <see cref="IDeadProperties.GetPropertiesAsync"/> from what it fetched.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/> when the folder is gone.</exception>
    IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(PropertySelection properties, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a file named <paramref name="name"/> in this folder holding <paramref name="content"/>. Atomic: the
    /// name appears only once all content is stored; when reading the content fails or is cancelled, nothing is left
    /// behind.
    /// </summary>
    /// <param name="name">A valid <see cref="DavPath"/> segment.</param>
    /// <param name="content">What to store: a stream, or bytes this store staged or kept in an upload session, which
    /// it may take over without copying them (<see cref="FileContent"/>).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <returns>The new file, describing what was stored.</returns>
    /// <exception cref="StoreException"><see cref="StoreError.AlreadyExists"/> when something is mapped at the name
    /// (checked as part of the write: of two racing creates, one gets this); <see cref="StoreError.NotFound"/> when
    /// this folder is gone; <see cref="StoreError.InsufficientStorage"/> (nothing left behind);
    /// <see cref="StoreError.NameNotSupported"/>; <see cref="StoreError.Forbidden"/>.</exception>
    ValueTask<IFile> CreateFileAsync(string name, FileContent content, CancellationToken cancellationToken);

    /// <summary>Creates an empty folder named <paramref name="name"/> in this folder.</summary>
    /// <exception cref="StoreException"><see cref="StoreError.AlreadyExists"/> when something is mapped at the name;
    /// <see cref="StoreError.NotFound"/> when this folder is gone; <see cref="StoreError.InsufficientStorage"/>;
    /// <see cref="StoreError.NameNotSupported"/>; <see cref="StoreError.Forbidden"/>.</exception>
    ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken);
}
