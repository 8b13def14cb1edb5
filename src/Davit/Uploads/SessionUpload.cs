using Davit.Storage;

namespace Davit.Uploads;

/// <summary>The engine's <see cref="IResumableUpload"/> for every store: an upload session, with the live byte count of a
/// request still streaming into it.</summary>
internal sealed class SessionUpload(UploadSession session, IUploadSessionStore sessions, long liveBytes, DateTimeOffset liveSaved, long? liveTotal) : IResumableUpload
{
    public DavPath Path => session.Path;

    public long BytesUploaded => Math.Max(session.BytesSaved, liveBytes);

    public long? TotalContentLength => session.TotalLength ?? liveTotal;

    public DateTimeOffset LastChunkSavedUtc => liveBytes > session.BytesSaved ? liveSaved : session.LastChunkSavedUtc;

    public ValueTask CancelUploadAsync(CancellationToken cancellationToken) => sessions.DeleteAsync(session, cancellationToken);

    public static IResumableUpload Create(UploadSession session, UploadServices uploads) =>
        uploads.Progress.TryGet(session.Path, out var live)
            ? new SessionUpload(session, uploads.Sessions, live.Bytes, live.LastSaved, live.Total)
            : new SessionUpload(session, uploads.Sessions, 0, session.LastChunkSavedUtc, null);
}

/// <summary>A complete file seen through the progress REPORT: all of it is uploaded (what the seed's client
/// expects after an upload finished while it was not looking).</summary>
internal sealed class CompletedUpload(IFile file) : IResumableUpload
{
    public DavPath Path => file.Path;

    public long BytesUploaded => file.ContentLength;

    public long? TotalContentLength => file.ContentLength;

    public DateTimeOffset LastChunkSavedUtc => file.ModifiedUtc;

    public ValueTask CancelUploadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
