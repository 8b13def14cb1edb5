namespace Davit.Storage;

/// <summary>
/// Optional capability of files and folders of a store that keeps plain files: take a finished upload's file as
/// content by moving it into place (a rename on the same volume), instead of reading it through
/// <see cref="IFolder.CreateFileAsync"/> or <see cref="IContent.WriteAsync"/>. The engine offers it when the upload
/// session store keeps plain files (<see cref="Uploads.IPhysicalUploadSessions"/>).
/// </summary>
/// <remarks>Fallback when it is not implemented, or when it answers false: the engine streams the bytes through the
/// ordinary atomic write. Same atomicity as that write: readers see the old content or the new one.</remarks>
public interface IAdoptFile
{
    /// <summary>
    /// On a folder: creates the file <paramref name="name"/> with the file at <paramref name="physicalPath"/> as its
    /// content. On a file: replaces its content with it (<paramref name="name"/> is its own name). Takes ownership:
    /// on success the file at <paramref name="physicalPath"/> is gone or belongs to the store. Returns false, having
    /// changed nothing, when it cannot adopt that file (another volume, say).
    /// </summary>
    /// <exception cref="DavException">As for <see cref="IFolder.CreateFileAsync"/> and <see cref="IContent.WriteAsync"/>.</exception>
    ValueTask<bool> TryAdoptAsync(string name, string physicalPath, string? contentType, CancellationToken cancellationToken);
}
