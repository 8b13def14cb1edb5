namespace Davit.Storage;

/// <summary>A folder (a WebDAV collection).</summary>
public interface IFolder : IHierarchyItem
{
    /// <summary>
    /// Enumerates the direct members of this folder. Called by PROPFIND Depth 1, GET's listing, COPY and DELETE.
    /// Items are streamed to the client as they come, so a store should yield them as it reads them.
    /// </summary>
    /// <param name="requestedProperties">A hint: the property names the client asked for, so that a database store
    /// can fetch everything in one query. Empty when the client asked for all properties or only their names.
    /// The engine still reads each value through the item.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(IReadOnlyCollection<System.Xml.Linq.XName> requestedProperties, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a file named <paramref name="name"/> in this folder holding the bytes of <paramref name="content"/>.
    /// Atomic: the name appears only once all content is stored; if the stream fails or is cancelled, nothing is
    /// left behind. The engine has checked that nothing is mapped at the name.
    /// </summary>
    /// <param name="name">A valid <see cref="DavPath"/> segment.</param>
    /// <param name="content">The body to store; read to its end. <see cref="Stream.Null"/> for an empty file.</param>
    /// <param name="contentType">The Content-Type the client sent, or null (most clients send none). A store may
    /// ignore it and derive the type from the name.</param>
    /// <param name="totalLength">The expected length, or -1 when unknown (a chunked body).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <returns>The new file.</returns>
    /// <exception cref="DavException">405 when something appeared at the name meanwhile; 507 when the store is out
    /// of space (nothing is left behind); 403 when files may not be created here.</exception>
    ValueTask<IFile> CreateFileAsync(string name, Stream content, string? contentType, long totalLength, CancellationToken cancellationToken);

    /// <summary>Creates an empty folder named <paramref name="name"/> in this folder.</summary>
    /// <exception cref="DavException">405 when something is already mapped at the name; 507 when out of space;
    /// 403 when folders may not be created here.</exception>
    ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken);
}
