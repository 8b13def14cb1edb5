namespace Davit.Storage;

/// <summary>
/// The entry point of a storage back-end: begins a request's unit of work and resolves paths to items. This is the
/// only service a store must register; everything else is reached through the items it returns and the optional
/// capabilities it implements (<see cref="Locking.ILockStore"/>, <see cref="Uploads.IUploadSessionStore"/>,
/// <see cref="IContentStaging"/>, <see cref="IStateScope"/>), which the engine probes with <c>is</c>.
/// </summary>
/// <remarks>
/// Failures: a member throws <see cref="StoreException"/> to report an outcome (the engine chooses the status per
/// method); <see cref="OperationCanceledException"/> after the client went away is logged at Debug and answers
/// nothing; any other exception is a 500, logged with its stack trace. Implementations must be safe for concurrent
/// use: one instance serves every request.
/// </remarks>
public interface IDavStore
{
    /// <summary>
    /// Begins the unit of work of one request (see <see cref="IUnitOfWork"/> for what a write one must guarantee).
    /// The engine sets <see cref="StoreContext.UnitOfWork"/> to the result before it resolves items through
    /// <paramref name="context"/>, and ends it before the request ends. The default needs no unit of work.
    /// </summary>
    /// <exception cref="StoreException"><see cref="StoreError.Unavailable"/> when the backing service cannot be
    /// reached.</exception>
    ValueTask<IUnitOfWork> BeginAsync(StoreContext context, UnitOfWorkMode mode, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IUnitOfWork>(NoUnitOfWork.Instance);

    /// <summary>
    /// Resolves <paramref name="path"/> to a file or a folder, or returns null when nothing is mapped there (the
    /// engine answers 404, or creates the item for PUT and MKCOL). Called for the request URL, the COPY or MOVE
    /// destination, and each parent the engine needs; for a write, once more inside the unit of work.
    /// </summary>
    /// <param name="path">The decoded path below the WebDAV root; <see cref="DavPath.Root"/> for the root, which
    /// must always resolve to an <see cref="IFolder"/>.</param>
    /// <param name="context">The request this lookup belongs to (and its unit of work, if one is running).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <returns>An <see cref="IFile"/> or an <see cref="IFolder"/>, or null. A path the store keeps unreachable (its
    /// own metadata, a link leading outside) resolves to null.</returns>
    ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, StoreContext context, CancellationToken cancellationToken);
}
