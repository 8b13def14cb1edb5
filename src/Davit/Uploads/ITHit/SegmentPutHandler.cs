using Davit.Engine;
using Davit.Engine.Methods;
using Davit.Http;
using Davit.Quotas;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.ITHit;

/// <summary>
/// A PUT with Content-Range: a segment of a resumable upload, or a partial update. The rules: a segment that starts at
/// 0 starts an upload (or rewrites one from its start); one that starts at or below the bytes saved continues it,
/// rewriting any overlap; one that starts beyond gets 412 ("previous piece of file was not uploaded"); a body whose
/// length does not match its range gets 400 and none of it counts. Segments are written into the upload session
/// outside any unit of work, and another request writing the same session meanwhile gets 409. Until the last byte
/// arrives, readers see the previous content (or 404), and the answer is
/// <see cref="Hosting.DavOptions.IncompleteUploadStatus"/> (308 with "Range: bytes=0-last" by default); the segment
/// that completes the upload stores the content through the store's atomic write and answers 201 or 204. Without a
/// session, a segment that starts past 0 inside an existing file updates that byte range (<see cref="PartialUpdate"/>).
/// </summary>
internal sealed class SegmentPutHandler : IWriteHandler
{
    private const string ContentKey = "davit.segment.content";

    public int? StatusFor(StoreError error) => error == StoreError.AlreadyExists ? StatusCodes.Status412PreconditionFailed : null;

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        var http = request.Request;
        if (request.Item is IFolder)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "PUT cannot replace a collection.");
        }

        if (request.Item is not null && !PutHandler.ReadOverwrite(http))
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        if (!ContentRangeHeader.TryParse(http.Headers.ContentRange.ToString(), out var range))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Content-Range must be \"bytes first-last/total\" or \"bytes first-last/*\".");
        }

        if (http.ContentLength is { } declared && declared != range.Length)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"Content-Length {declared} does not match the {range.Length} bytes of Content-Range.");
        }

        var sessions = request.SessionStore!;
        var now = request.Now;
        var session = await sessions.GetAsync(request.Path, now, request.Aborted);
        if (session is null)
        {
            if (range.First > 0 && request.Item is IFile complete && PartialUpdate.Applies(complete, range))
            {
                var (content, basis) = await PartialUpdate.StageAsync(request, complete, range);
                request.StoreContext.Items[ContentKey] = new Staged(content, basis);
                return null;
            }

            if (range.First > 0)
            {
                throw new DavException(StatusCodes.Status412PreconditionFailed, "The previous piece of the file was not uploaded.");
            }

            if (request.Item is null)
            {
                await Parents.RequireAsync(request, request.Path);
            }

            session = await QuotaGuard.CreateSessionAsync(request, request.Path, range.Total, http.ContentType);
        }
        else if (range.First > session.BytesSaved)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, $"Only {session.BytesSaved} bytes are saved; the segment starts at {range.First}.");
        }
        else if (range.First > 0 && session.TotalLength is { } known && range.Total is { } stated && known != stated)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"The upload's total length is {known}, not {stated}.");
        }

        var total = range.Total ?? (range.First == 0 ? null : session.TotalLength);
        session = await WriteAsync(request, sessions, session, range, total);
        if (!session.IsComplete)
        {
            return Incomplete(request, session);
        }

        request.AfterCommit(() => sessions.DeleteAsync(session, CancellationToken.None));
        request.StoreContext.Items[ContentKey] = new Staged(FileContent.FromSession(UploadState.ForStorage(session), sessions), null);
        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        if (request.Item is not null && !PutHandler.ReadOverwrite(request.Request))
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        var staged = (Staged)request.StoreContext.Items[ContentKey]!;
        if (staged.BasisETag is { } basis)
        {
            // A partial update applies to the version it was composed from, or not at all.
            if (request.Item is not IFile file)
            {
                throw new DavException(StatusCodes.Status412PreconditionFailed, "The file was removed while its range was being updated.");
            }

            var quota = await QuotaGuard.BeforeContentAsync(request, request.Path, file, staged.Content);
            await file.WriteAsync(staged.Content, basis, request.Aborted);
            await QuotaGuard.AfterContentAsync(request, request.Path, quota);
            return DavResult.Written(StatusCodes.Status204NoContent, file);
        }

        var conditional = ContentWrites.IsConditional(request.Request) || !PutHandler.ReadOverwrite(request.Request);
        var (stored, created) = await ContentWrites.StoreAsync(request, request.Path, request.Item, staged.Content, conditional);
        return DavResult.Written(created ? StatusCodes.Status201Created : StatusCodes.Status204NoContent, stored);
    }

    private static async ValueTask<UploadSession> WriteAsync(DavRequest request, IUploadSessionStore sessions, UploadSession session, UploadRange range, long? total)
    {
        try
        {
            // Durable before the answer: an acknowledged segment survives a crash.
            await QuotaGuard.BeforeUploadBytesAsync(request, session, range.First, range.Length, total);
            var body = new ExactLengthStream(request.Request.Body, range.Length);
            return await ContentWrites.WriteOrDiscardAsync(request, sessions, session, range.First, body, total);
        }
        catch (DavException ex) when (ex.StatusCode == StatusCodes.Status400BadRequest)
        {
            // The segment's length did not match its range: none of it counts (an overlap it rewrote included).
            var current = await sessions.GetAsync(request.Path, request.Now, CancellationToken.None);
            if (current is not null && current.Id == session.Id)
            {
                await sessions.TruncateAsync(current, Math.Min(range.First, current.BytesSaved), CancellationToken.None);
            }

            throw;
        }
    }

    private static DavResult Incomplete(DavRequest request, UploadSession session) => DavResult.From(r =>
    {
        var response = r.Response;
        response.StatusCode = request.Options.IncompleteUploadStatus;
        if (session.BytesSaved > 0)
        {
            // The convention of Google's resumable uploads (IT Hit's ResumeIncomplete response).
            response.Headers.Range = $"bytes=0-{session.BytesSaved - 1}";
        }

        response.ContentLength = 0;
        return ValueTask.CompletedTask;
    });

    private sealed record Staged(FileContent Content, string? BasisETag);
}
