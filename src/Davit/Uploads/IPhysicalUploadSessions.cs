namespace Davit.Uploads;

/// <summary>
/// Optional capability of an <see cref="IUploadSessionStore"/>: each session's bytes are a plain file, which the
/// engine can offer to a store that adopts files (<see cref="Storage.IAdoptFile"/>) when the upload completes, so
/// the finished upload is renamed into place instead of copied.
/// </summary>
public interface IPhysicalUploadSessions
{
    /// <summary>
    /// The full path of the file holding exactly the session's <see cref="UploadSession.BytesSaved"/> bytes, flushed
    /// to disk, or null when there is none. The store may move it away; <see cref="IUploadSessionStore.DeleteAsync"/>
    /// must then still succeed.
    /// </summary>
    string? GetDataPath(UploadSession session);
}
