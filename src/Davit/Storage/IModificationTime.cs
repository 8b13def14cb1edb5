namespace Davit.Storage;

/// <summary>
/// Optional capability: the item's modification time can be set by a client. The Windows mini-redirector sets it
/// through PROPPATCH of Win32LastModifiedTime after every upload, so that a copied file keeps its original time.
/// </summary>
/// <remarks>Fallback when an item does not implement it: the engine stores Win32LastModifiedTime as a dead property
/// (when the item has <see cref="IDeadProperties"/>) and the modification time stays the store's own.</remarks>
public interface IModificationTime
{
    /// <summary>
    /// Sets <see cref="IHierarchyItem.ModifiedUtc"/> to <paramref name="modifiedUtc"/>, without touching the
    /// content. The ETag may change (it must never stay the same across a content change; changing without one
    /// is allowed).
    /// </summary>
    /// <remarks>Takes part in the request's unit of work: when the unit of work is rolled back (a PROPPATCH whose
    /// dead properties could not be saved), the time is put back.</remarks>
    /// <exception cref="StoreException"><see cref="StoreError.Forbidden"/> when the time may not be set.</exception>
    ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken);
}
