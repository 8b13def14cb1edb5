namespace Davit.Storage;

/// <summary>
/// The entry point of a storage back-end: resolves a path to an item. This is the only service a store must
/// register; everything else is reached through the items it returns.
/// </summary>
/// <remarks>
/// The engine resolves the store from the request's services, so a store can be a singleton or scoped to the
/// request (a database store opening one transaction per request, for example).
/// </remarks>
public interface IDavStore
{
    /// <summary>
    /// Resolves <paramref name="path"/> to a file or a folder, or returns null when nothing is mapped there
    /// (the engine answers 404, or creates the item for PUT and MKCOL). Called once per request for the request
    /// URL, and once for a COPY or MOVE destination and each parent the engine needs.
    /// </summary>
    /// <param name="path">The decoded path below the WebDAV root; <see cref="DavPath.Root"/> for the root, which
    /// must always resolve to an <see cref="IFolder"/>.</param>
    /// <param name="context">The request this lookup belongs to.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <returns>An <see cref="IFile"/> or an <see cref="IFolder"/>, or null.</returns>
    /// <exception cref="DavException">403 when the path exists but must not be reachable (the engine answers the
    /// status as given).</exception>
    ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, DavRequestContext context, CancellationToken cancellationToken);
}
