using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// Keeps upload sessions and their bytes until the upload completes. The engine does the protocols (Content-Range
/// PUT, the upload-progress REPORT, CANCELUPLOAD, multipart POST) and, when an upload completes, stores the bytes
/// through the ordinary <see cref="IFolder.CreateFileAsync"/> or <see cref="IContent.WriteAsync"/>, so every store
/// gets resumable uploads. A store can keep sessions itself (next to its content, so that completing is a rename)
/// by implementing this interface on its <see cref="IDavStore"/>; otherwise the engine uses the
/// <see cref="IUploadSessionStore"/> service (by default, <see cref="DirectoryUploadSessionStore"/>).
/// </summary>
/// <remarks>
/// At most one session exists per path. Sessions and their saved bytes survive a crash of the process: what
/// <see cref="WriteAsync"/> reported as saved with <c>durable: true</c> must still be there after a restart.
/// Implementations must be safe for concurrent use; the engine never writes to one session from two requests at
/// once. Statuses: <see cref="DavException"/> 507 when out of space (the session keeps what it had); any other
/// exception becomes 500.
/// </remarks>
public interface IUploadSessionStore
{
    /// <summary>The session for <paramref name="path"/>, or null (also when it has expired at <paramref name="now"/>).</summary>
    ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The unexpired sessions whose path is <paramref name="path"/> or below it, for the progress REPORT on
    /// a folder.</summary>
    ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a session for <paramref name="path"/> with no bytes saved, replacing (and discarding) any session
    /// already there.
    /// </summary>
    ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the bytes of <paramref name="data"/> at <paramref name="offset"/> (at most
    /// <see cref="UploadSession.BytesSaved"/>: overlapping bytes are rewritten) and returns the session with
    /// <see cref="UploadSession.BytesSaved"/> = offset + bytes written, the given total (or the one it had) and expiry, and
    /// LastChunkSavedUtc = <paramref name="now"/>. When the stream fails midway (a dropped connection), the bytes
    /// that arrived are kept and saved as far as they go, and the exception is rethrown; the next
    /// <see cref="GetAsync"/> reports them. With <paramref name="durable"/> the bytes and the session are flushed to
    /// stable storage before this returns.
    /// </summary>
    /// <param name="session">The session, as last returned by this store.</param>
    /// <param name="offset">Where the bytes go; 0 to 0..BytesSaved.</param>
    /// <param name="data">The bytes, read to the end.</param>
    /// <param name="totalLength">The total now known, or null to keep the total the session has (if any).</param>
    /// <param name="now">The current time.</param>
    /// <param name="expiresUtc">The new expiry.</param>
    /// <param name="durable">Flush to stable storage before returning.</param>
    /// <param name="progress">Called as bytes are saved with the new BytesSaved, so that a progress REPORT made
    /// while a request is still running can see them; may be null.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, DateTimeOffset now, DateTimeOffset expiresUtc, bool durable, Action<long>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Discards bytes past <paramref name="bytesSaved"/> (after a segment whose length did not match its range)
    /// and returns the session with that many bytes saved.
    /// </summary>
    ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken);

    /// <summary>Opens the saved bytes (exactly <see cref="UploadSession.BytesSaved"/> of them) for reading, to store them
    /// as the file's content when the upload completes.</summary>
    ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken);

    /// <summary>Deletes the session and its bytes (completed, cancelled or expired). No error when it is gone.</summary>
    ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken);

    /// <summary>Deletes every session that expired at <paramref name="now"/> and reclaims its space; returns them.</summary>
    ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
