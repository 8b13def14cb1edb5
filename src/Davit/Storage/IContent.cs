namespace Davit.Storage;

/// <summary>The content of a file: its bytes and their metadata.</summary>
public interface IContent
{
    /// <summary>The media type sent as Content-Type and DAV:getcontenttype; never null. When the store has none,
    /// <see cref="ContentTypes.FromName"/> gives one from the file name, application/octet-stream by default.</summary>
    string ContentType { get; }

    /// <summary>The length of the content, as the item was resolved.</summary>
    long ContentLength { get; }

    /// <summary>
    /// The entity tag's opaque value, without quotes or W/ (the engine quotes it). Strong: it changes whenever
    /// the content changes, never comes back for other content, and only byte-identical content may share one.
    /// Characters allowed: those of an RFC 9110 etagc (no '"', no control characters, no spaces).
    /// </summary>
    string ETag { get; }

    /// <summary>
    /// Opens the content as it is now, for reading: one version whose length, entity tag and bytes all belong
    /// together, however the file is written meanwhile (GET sends the headers and the bytes of one version). The
    /// engine disposes the reader when the response is sent.
    /// </summary>
    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/> when the file is gone.</exception>
    ValueTask<IContentReader> OpenReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the content with <paramref name="content"/>. Atomic: readers see the old content or the new, never
    /// a mix; when reading the content fails or is cancelled, the old content stays. After it returns, this object's
    /// <see cref="ContentLength"/>, <see cref="ETag"/> and <see cref="IHierarchyItem.ModifiedUtc"/> describe the new
    /// content. The file keeps its dead properties.
    /// </summary>
    /// <param name="content">What to store (see <see cref="FileContent"/>).</param>
    /// <param name="expectedETag">When not null, the write happens only if the file's entity tag is still this one,
    /// checked as part of the write (the client's If-Match, or the version the engine checked).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <exception cref="StoreException"><see cref="StoreError.ChangedMeanwhile"/> when the entity tag is not
    /// <paramref name="expectedETag"/>; <see cref="StoreError.NotFound"/> when the file is gone;
    /// <see cref="StoreError.InsufficientStorage"/> (the old content is intact).</exception>
    ValueTask WriteAsync(FileContent content, string? expectedETag, CancellationToken cancellationToken);
}

/// <summary>
/// One version of a file's content, open for reading (<see cref="IContent.OpenReadAsync"/>). Its members never
/// change: a write to the file meanwhile makes a new version and leaves this one readable until it is disposed.
/// </summary>
public interface IContentReader : IAsyncDisposable
{
    /// <summary>The exact number of bytes of this version.</summary>
    long Length { get; }

    /// <summary>This version's entity tag (as <see cref="IContent.ETag"/>).</summary>
    string ETag { get; }

    /// <summary>When this version was written, in UTC (as <see cref="IHierarchyItem.ModifiedUtc"/>).</summary>
    DateTimeOffset ModifiedUtc { get; }

    /// <summary>The media type (as <see cref="IContent.ContentType"/>).</summary>
    string ContentType { get; }

    /// <summary>
    /// Writes <paramref name="count"/> bytes of this version, starting at <paramref name="offset"/>, to
    /// <paramref name="output"/>. The engine checks that the range lies within <see cref="Length"/>. Only the bytes
    /// of the range are read (a range of a large file costs what the range costs).
    /// </summary>
    ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken);
}
