using Davit.Storage;

namespace Davit.Uploads;

/// <summary>The engine's <see cref="IResumableUpload"/> for every store: an upload session as its store last saw it.</summary>
internal sealed class SessionUpload(UploadSession session, IUploadSessionStore sessions) : IResumableUpload
{
    public DavPath Path => session.Path;

    public long BytesUploaded => session.BytesSaved;

    public long? TotalContentLength => session.TotalLength;

    public DateTimeOffset LastChunkSavedUtc => session.LastChunkSavedUtc;

    public ValueTask CancelUploadAsync(CancellationToken cancellationToken) => sessions.DeleteAsync(session, cancellationToken);
}

/// <summary>A complete file seen through the progress REPORT: all of it is uploaded (what IT Hit's client expects
/// after an upload finished while it was not looking).</summary>
internal sealed class CompletedUpload(IFile file) : IResumableUpload
{
    public DavPath Path => file.Path;

    public long BytesUploaded => file.ContentLength;

    public long? TotalContentLength => file.ContentLength;

    public DateTimeOffset LastChunkSavedUtc => file.ModifiedUtc;

    public ValueTask CancelUploadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
