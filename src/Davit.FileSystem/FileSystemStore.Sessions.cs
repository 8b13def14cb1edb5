using Davit.Storage;
using Davit.Uploads;

namespace Davit.FileSystem;

/// <summary>The store keeps uploads in progress next to its content (see <see cref="FsUploads"/>), so a finished one is
/// renamed into place.</summary>
public sealed partial class FileSystemStore : IUploadSessionStore
{
    /// <inheritdoc />
    public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        Uploads.GetAsync(Database, path, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        Uploads.ListAsync(Database, path, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken) =>
        Uploads.CreateAsync(path, totalLength, contentType, now, expiresUtc, cancellationToken);

    /// <inheritdoc />
    public ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(clock);
        return Uploads.WriteAsync(session, offset, data, totalLength, clock, lifetime, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken) =>
        Uploads.TruncateAsync(session, bytesSaved, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken) =>
        Uploads.OpenReadAsync(session, cancellationToken);

    /// <inheritdoc />
    public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken) =>
        Uploads.DiscardAsync(session, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Uploads.DeleteExpiredAsync(Database, now, cancellationToken);
}
