using Davit.Quotas;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// The two steps of every write of content (PUT, a form POST, the last segment of an upload): the bytes are staged
/// outside the unit of work, so that a slow client never holds the store's write lock, and stored inside it, where
/// the store takes the staged bytes over.
/// </summary>
internal static class ContentWrites
{
    /// <summary>
    /// Stages <paramref name="body"/>, to be stored at <paramref name="path"/>: in an upload session when the store
    /// keeps them and the body is large or of unknown length (an interrupted one keeps its bytes for a resume with
    /// Content-Range), else with the store's staging, else not at all (the body is then read inside the unit of work).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="path">Where the bytes will be stored.</param>
    /// <param name="body">The bytes.</param>
    /// <param name="length">Their announced length, or null.</param>
    /// <param name="contentType">The media type the client sent, or null.</param>
    /// <param name="reportedTotal">For a body of unknown length, the total the upload-progress report shows while it
    /// streams: a form POST shows its whole request length, as IT Hit's form progress bar expects.</param>
    public static async ValueTask<FileContent> StageAsync(DavRequest request, DavPath path, Stream body, long? length, string? contentType, long? reportedTotal = null)
    {
        if (request.SessionStore is { } sessions && (length is null || length >= request.Options.ResumableUploadThreshold))
        {
            // A form part's session carries the whole POST's length for the progress report, and a mark saying so:
            // its quota counts its bytes, not that length.
            var form = length is null && reportedTotal is not null;
            var sessionType = form ? new UploadState(UploadState.FormProtocol, contentType, false, null).Encode() : contentType;
            var session = await QuotaGuard.CreateSessionAsync(request, path, length ?? reportedTotal, sessionType);
            session = await WriteOrDiscardAsync(request, sessions, session, 0, body, length);
            if (length is { } expected && session.BytesSaved != expected)
            {
                throw new DavException(StatusCodes.Status400BadRequest, $"The body ended after {session.BytesSaved} of the {expected} bytes announced.");
            }

            // A store that takes the session's bytes over removes the session itself; one that reads them leaves it.
            request.AfterCommit(() => sessions.DeleteAsync(session, CancellationToken.None));
            var content = FileContent.FromSession(UploadState.ForStorage(session), sessions);
            if (length is null && !form)
            {
                // A body of unknown length reserved nothing: it is checked now that it is known (a form checks its
                // files together once all are staged).
                await QuotaGuard.AdmitStagedAsync(request, [(path, content)]);
            }

            return content;
        }

        if (request.Staging is { } staging)
        {
            var staged = await staging.StageAsync(body, length, request.Aborted);
            request.DisposeAtEnd(staged);
            return FileContent.FromStaged(staged, contentType);
        }

        return FileContent.FromStream(body, length, contentType);
    }

    /// <summary>
    /// Writes <paramref name="body"/> into <paramref name="session"/> at <paramref name="offset"/>. When the store runs
    /// out of space, the bytes of this request go (the session is cut back to <paramref name="offset"/>, or deleted
    /// when that is 0): what never got acknowledged must not keep the disk full for every other write. Bytes acknowledged
    /// by earlier segments stay, so the upload resumes from there once there is room.
    /// </summary>
    public static async ValueTask<UploadSession> WriteOrDiscardAsync(DavRequest request, IUploadSessionStore sessions, UploadSession session, long offset, Stream body, long? total)
    {
        try
        {
            return await sessions.WriteAsync(session, offset, body, total, request.Time, request.Options.UploadExpiration, request.Aborted);
        }
        catch (StoreException ex) when (ex.Error == StoreError.InsufficientStorage)
        {
            try
            {
                if (offset == 0)
                {
                    await sessions.DeleteAsync(session, CancellationToken.None);
                }
                else if (await sessions.GetAsync(session.Path, request.Now, CancellationToken.None) is { } current && current.Id == session.Id)
                {
                    await sessions.TruncateAsync(current, Math.Min(offset, current.BytesSaved), CancellationToken.None);
                }
            }
            catch (StoreException)
            {
                // The store could not even shed the bytes (its own bookkeeping is full too); the client still hears
                // why the write failed, and the store's start-up recovery tidies what is left.
            }

            throw;
        }
    }

    /// <summary>
    /// Stores <paramref name="content"/> at <paramref name="path"/>, inside the unit of work: replaces the file
    /// <paramref name="existing"/>, or creates a new one. With <paramref name="conditional"/> (the client made the
    /// write depend on a version), the version the engine checked is the one the store must still find; without, a
    /// create or a replace that lost a race to another writer is run again as the other kind.
    /// </summary>
    public static async ValueTask<(IFile File, bool Created)> StoreAsync(DavRequest request, DavPath path, IHierarchyItem? existing, FileContent content, bool conditional)
    {
        try
        {
            if (existing is IFolder)
            {
                throw new DavException(StatusCodes.Status405MethodNotAllowed, "A collection cannot be replaced by a file.");
            }

            var quota = await QuotaGuard.BeforeContentAsync(request, path, existing, content);
            (IFile File, bool Created) stored;
            if (existing is IFile file)
            {
                await file.WriteAsync(content, conditional ? file.ETag : null, request.Aborted);
                stored = (file, false);
            }
            else
            {
                var parent = await Parents.RequireAsync(request, path);
                stored = (await parent.CreateFileAsync(path.Name, content, request.Aborted), true);
            }

            await QuotaGuard.AfterContentAsync(request, path, quota);
            return stored;
        }
        catch (DavException ex) when (QuotaGuard.IsExceeded(ex) && content.Session is { } session)
        {
            // The bytes can never become this file: they go, rather than hold back room in the quota for nothing.
            QuotaGuard.DiscardAtEnd(request, session);
            throw;
        }
        catch (StoreException ex) when (!conditional && ex.Error is StoreError.AlreadyExists or StoreError.NotFound or StoreError.ChangedMeanwhile
                                        && !(existing is null && ex.Error == StoreError.NotFound))
        {
            // Another writer created or removed the file between the lookup and the write: in a serial order this
            // write simply came after it, so it runs again against what is there now.
            throw new StoreException(StoreError.Retry, $"'{path}' changed while it was being written.", ex);
        }
    }

    /// <summary>True when the client made the request depend on the resource's state (RFC 9110 §13.1, RFC 4918 §10.4).</summary>
    public static bool IsConditional(HttpRequest request)
    {
        var headers = request.Headers;
        return headers.IfMatch.Count > 0 || headers.IfNoneMatch.Count > 0 || headers.IfUnmodifiedSince.Count > 0 || headers["If"].Count > 0;
    }
}
