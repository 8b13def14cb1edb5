namespace Davit.Storage;

/// <summary>
/// Optional capability of a store (its <see cref="IDavStore"/>): bytes can be written ahead of the unit of work
/// that makes them a file's content. The engine stages request bodies with it before it begins a write unit of work,
/// so that a slow client never holds the store's write lock or transaction, and then hands the staged bytes to
/// <see cref="IFolder.CreateFileAsync"/> or <see cref="IContent.WriteAsync"/> through
/// <see cref="FileContent.FromStaged"/>, where the store takes them over without copying.
/// </summary>
/// <remarks>Fallback when a store does not implement it: the engine streams small bodies straight into the write, and
/// large ones through an upload session when the store keeps them. Staged bytes that are never taken over are
/// discarded when disposed, and a store reclaims what a crash left behind.</remarks>
public interface IContentStaging
{
    /// <summary>Reads <paramref name="data"/> to its end into staged bytes, durably (they survive a power cut once
    /// this returns), visible to nobody.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="expectedLength">The length announced, or null; a store may use it to reserve space.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away (nothing is left behind).</param>
    /// <exception cref="StoreException"><see cref="StoreError.InsufficientStorage"/> (nothing is left behind).</exception>
    ValueTask<IStagedContent> StageAsync(Stream data, long? expectedLength, CancellationToken cancellationToken);
}

/// <summary>Bytes staged by <see cref="IContentStaging.StageAsync"/>. Disposing discards them unless a write took
/// them over.</summary>
public interface IStagedContent : IAsyncDisposable
{
    /// <summary>How many bytes are staged.</summary>
    long Length { get; }

    /// <summary>Opens the staged bytes for reading (for a store that reads rather than takes them over).</summary>
    ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken);
}
