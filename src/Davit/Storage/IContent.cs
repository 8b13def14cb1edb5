namespace Davit.Storage;

/// <summary>The content of a file: its bytes and their metadata.</summary>
public interface IContent
{
    /// <summary>The media type sent as Content-Type and DAV:getcontenttype; never null. When the store has none,
    /// <see cref="ContentTypes.FromName"/> gives one from the file name, application/octet-stream by default.</summary>
    string ContentType { get; }

    /// <summary>The exact number of bytes <see cref="ReadAsync"/> produces for the whole content.</summary>
    long ContentLength { get; }

    /// <summary>
    /// The entity tag's opaque value, without quotes or W/ (the engine quotes it). Strong: it changes whenever
    /// the content changes, and only byte-identical content may share one. Characters allowed: those of an RFC 9110
    /// etagc (no '"', no control characters, no spaces).
    /// </summary>
    string ETag { get; }

    /// <summary>
    /// Writes <paramref name="count"/> bytes of the content, starting at <paramref name="offset"/>, to
    /// <paramref name="output"/>. The engine checks that offset and count lie within <see cref="ContentLength"/>.
    /// </summary>
    /// <exception cref="DavException">404 when the content has gone meanwhile.</exception>
    ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the bytes of <paramref name="content"/> as this file's content, starting at
    /// <paramref name="startIndex"/>. Atomic: readers see either the old content or the new, never a mix or a
    /// partial write; when the stream fails or the request is cancelled, the old content is left intact.
    /// After it returns, this object's <see cref="ContentLength"/>, <see cref="ETag"/> and
    /// <see cref="IHierarchyItem.ModifiedUtc"/> describe the new content.
    /// </summary>
    /// <param name="content">The bytes to store, read to the end.</param>
    /// <param name="contentType">The Content-Type the client sent, or null.</param>
    /// <param name="startIndex">0 to replace the whole content. Greater than 0 to keep the bytes before
    /// <paramref name="startIndex"/> and overwrite from there on; bytes past the end of the written range stay.
    /// </param>
    /// <param name="totalLength">The length the content will have when complete, or -1 when unknown.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <exception cref="DavException">412 when <paramref name="startIndex"/> is beyond <see cref="ContentLength"/>
    /// (a previous piece is missing); 507 when out of space (the old content is intact).</exception>
    ValueTask WriteAsync(Stream content, string? contentType, long startIndex, long totalLength, CancellationToken cancellationToken);
}
