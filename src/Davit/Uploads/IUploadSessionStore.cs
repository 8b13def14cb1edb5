using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// Keeps upload sessions and their bytes until the upload completes: the bytes that have arrived for a URL but are
/// not yet its content. The protocols (IT Hit's Content-Range PUT with the upload-progress REPORT and CANCELUPLOAD,
/// the engine's staging of large plain PUTs and form POSTs) all work on these sessions; when an upload completes, the
/// engine stores its bytes with <see cref="FileContent.FromSession"/>, which the store may take over without copying.
/// </summary>
/// <remarks>
/// <para>Where the engine finds it: the <see cref="IDavStore"/> itself when it implements this interface (the normal
/// case: a store keeps its uploads next to its content), else an <see cref="IUploadSessionStore"/> service the
/// application registered. With neither, resumable uploads are off, and the engine says so at startup.</para>
/// <para>At most one session exists per path. Every method may be called from several servers sharing the same
/// backing storage at once: what one instance writes, another reads and continues. Sessions and their saved bytes
/// survive a crash: what <see cref="WriteAsync"/> reports as saved is on stable storage. Statuses: a
/// <see cref="StoreException"/> names the outcome (<see cref="StoreError.InsufficientStorage"/> when out of space, the
/// session keeping what it had); any other exception is a 500.</para>
/// </remarks>
public interface IUploadSessionStore
{
    /// <summary>The session for <paramref name="path"/>, or null (also when it has expired at <paramref name="now"/>).
    /// Its <see cref="UploadSession.BytesSaved"/> lags the bytes a writer on any instance has saved by about a second
    /// at most, so that a progress report sees an upload that is still streaming.</summary>
    ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The unexpired sessions whose path is <paramref name="path"/> or below it, ordered by path (the
    /// progress report on a folder), as fresh as <see cref="GetAsync"/>.</summary>
    ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a session for <paramref name="path"/> with no bytes saved, replacing (and discarding) any session
    /// already there; a writer still writing to the replaced one fails.
    /// </summary>
    /// <exception cref="StoreException"><see cref="StoreError.Forbidden"/> for a path the store never serves (its
    /// own metadata); <see cref="StoreError.NameNotSupported"/>; <see cref="StoreError.InsufficientStorage"/>.</exception>
    ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the bytes of <paramref name="data"/> at <paramref name="offset"/> (at most
    /// <see cref="UploadSession.BytesSaved"/>: overlapping bytes are rewritten) and returns the session with
    /// <see cref="UploadSession.BytesSaved"/> = offset + bytes written, the given total (or the one it had),
    /// LastChunkSavedUtc = the clock's time of the last save and ExpiresUtc = that time + <paramref name="lifetime"/>.
    /// Bytes are on stable storage before they are counted. While the write runs, the count is saved about once a
    /// second, so that <see cref="GetAsync"/> on any instance sees the upload progress. When the stream fails midway
    /// (a dropped connection), the bytes that arrived are kept and counted, and the exception is rethrown.
    /// </summary>
    /// <remarks>One writer at a time, across every instance: a second writer of the same session gets
    /// <see cref="StoreError.Busy"/> and writes nothing; bytes of two writers are never interleaved. A writer that
    /// dies (its process killed) must not hold the session for ever.</remarks>
    /// <param name="session">The session, as last returned by this store (or another instance over the same storage).</param>
    /// <param name="offset">Where the bytes go; 0 to <see cref="UploadSession.BytesSaved"/>.</param>
    /// <param name="data">The bytes, read to the end.</param>
    /// <param name="totalLength">The total now known, or null to keep the total the session has (if any).</param>
    /// <param name="clock">Stamps the saves.</param>
    /// <param name="lifetime">How long the session lives after its last save.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away (what arrived is still kept).</param>
    /// <exception cref="StoreException"><see cref="StoreError.Busy"/>; <see cref="StoreError.NotFound"/> when the
    /// session no longer exists (deleted, replaced, expired); <see cref="StoreError.Conflict"/> when the offset lies
    /// past the saved bytes (another writer lowered them); <see cref="StoreError.InsufficientStorage"/>.</exception>
    ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Discards bytes past <paramref name="bytesSaved"/> (after a segment whose length did not match its range)
    /// and returns the session with that many bytes saved.
    /// </summary>
    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/>; <see cref="StoreError.Busy"/>.</exception>
    ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken);

    /// <summary>Opens the saved bytes (exactly <see cref="UploadSession.BytesSaved"/> of them, as given) for reading,
    /// to store them as the file's content when the upload completes.</summary>
    /// <exception cref="StoreException"><see cref="StoreError.NotFound"/>.</exception>
    ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken);

    /// <summary>Deletes the session and its bytes (completed, cancelled or expired). No error when it is gone, or was
    /// replaced by a newer session for the same path (which stays).</summary>
    ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken);

    /// <summary>Deletes every session that expired at <paramref name="now"/> and reclaims its space; returns them.
    /// Safe when several instances run it at once; a session being written is not expired.</summary>
    ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
