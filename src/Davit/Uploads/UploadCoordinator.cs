using Davit.Engine;
using Davit.Engine.Methods;
using Davit.Http;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>
/// Resumable and partial PUT (the seed's Content-Range protocol), over upload sessions. The rules:
/// a segment that starts at 0 starts (or restarts) an upload; one that starts at or below the bytes saved continues
/// it, rewriting any overlap; one that starts beyond gets 412 ("previous piece of file was not uploaded"); a body
/// whose length does not match its range gets 400. Until the last byte arrives, readers see the previous content
/// (or 404), and the answer is <see cref="Hosting.DavOptions.IncompleteUploadStatus"/> (308 with
/// "Range: bytes=0-last" by default); the segment that completes the upload stores the content through the store's
/// atomic write and answers 201 or 204. Without a session, a segment that starts past 0 inside an existing file
/// updates that byte range in place, atomically (Apache mod_dav and Cyberduck's partial PUT).
/// </summary>
internal static class UploadCoordinator
{
    public static async ValueTask PutSegmentAsync(DavContext context, UploadServices uploads, UploadRange range)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared != range.Length)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"Content-Length {declared} does not match the {range.Length} bytes of Content-Range.");
        }

        using var gate = uploads.Gate.Enter(context.Path);
        var now = context.Now;
        var session = await uploads.Sessions.GetAsync(context.Path, now, context.Aborted);
        if (session is null)
        {
            if (range.First > 0 && context.Item is IFile complete && IsPartialUpdate(complete, range))
            {
                await PartialUpdate.ApplyAsync(context, complete, range);
                return;
            }

            if (range.First > 0)
            {
                throw new DavException(StatusCodes.Status412PreconditionFailed, "The previous piece of the file was not uploaded.");
            }

            await RequireParentAsync(context);
            session = await uploads.Sessions.CreateAsync(context.Path, range.Total, request.ContentType, now, now + context.Options.UploadExpiration, context.Aborted);
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
        session = await WriteAsync(context, uploads, session, context.Path, range.First, new ExactLengthStream(request.Body, range.Length), total, total);
        if (!session.IsComplete)
        {
            AnswerIncomplete(context, session);
            return;
        }

        var (file, created) = await CommitAsync(context, uploads, session, context.Item as IFile);
        Answer(context.Response, file, created ? StatusCodes.Status201Created : StatusCodes.Status204NoContent);
    }

    /// <summary>A plain PUT through a session, so that an interrupted one leaves its bytes for a resume.</summary>
    public static async ValueTask PutWholeAsync(DavContext context, UploadServices uploads, Stream body, long? total)
    {
        await RequireParentAsync(context);
        var (file, created) = await UploadWholeAsync(context, uploads, context.Path, context.Item as IFile, body, context.Request.ContentType, total, progressTotal: total);
        Answer(context.Response, file, created ? StatusCodes.Status201Created : StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// Streams a whole body into a session at <paramref name="path"/> and stores it there when it ends; an
    /// interrupted body leaves its bytes in the session. Also used for each file of a form POST. The
    /// <paramref name="progressTotal"/> is what the progress REPORT shows as the total while the body streams (a form
    /// POST shows its whole request length).
    /// </summary>
    public static async ValueTask<(IFile File, bool Created)> UploadWholeAsync(DavContext context, UploadServices uploads, DavPath path, IFile? existing, Stream body, string? contentType, long? total, long? progressTotal)
    {
        using var gate = uploads.Gate.Enter(path);
        var now = context.Now;
        var session = await uploads.Sessions.CreateAsync(path, total, contentType, now, now + context.Options.UploadExpiration, context.Aborted);
        session = await WriteAsync(context, uploads, session, path, 0, body, total, progressTotal);
        return await CommitAsync(context, uploads, session, existing);
    }

    // A segment past 0 with no upload in progress edits an existing file, if it neither leaves a gap nor contradicts
    // the file's length.
    private static bool IsPartialUpdate(IFile file, UploadRange range) =>
        range.First <= file.ContentLength && (range.Total is null || range.Total == Math.Max(file.ContentLength, range.Last + 1));

    private static async ValueTask RequireParentAsync(DavContext context)
    {
        if (context.Item is null)
        {
            await Parents.RequireAsync(context, context.Path);
        }
    }

    private static async ValueTask<UploadSession> WriteAsync(DavContext context, UploadServices uploads, UploadSession session, DavPath path, long offset, Stream data, long? total, long? progressTotal)
    {
        var now = context.Now;
        var progress = uploads.Progress.Track(path, progressTotal, now, context.Time);
        try
        {
            // Durable before the answer: an acknowledged segment survives a crash.
            return await uploads.Sessions.WriteAsync(session, offset, data, total, now, now + context.Options.UploadExpiration, durable: true, progress, context.Aborted);
        }
        catch (DavException ex) when (ex.StatusCode == StatusCodes.Status400BadRequest && data is ExactLengthStream)
        {
            // The segment's length did not match its range: none of it counts (an overlap it rewrote included).
            var current = await uploads.Sessions.GetAsync(path, context.Now, CancellationToken.None);
            if (current is not null && current.Id == session.Id)
            {
                await uploads.Sessions.TruncateAsync(current, Math.Min(offset, current.BytesSaved), CancellationToken.None);
            }

            throw;
        }
        finally
        {
            uploads.Progress.Forget(path);
        }
    }

    private static void AnswerIncomplete(DavContext context, UploadSession session)
    {
        var response = context.Response;
        response.StatusCode = context.Options.IncompleteUploadStatus;
        if (session.BytesSaved > 0)
        {
            // The convention of Google's resumable uploads (the seed's ResumeIncomplete response).
            response.Headers.Range = $"bytes=0-{session.BytesSaved - 1}";
        }

        response.ContentLength = 0;
    }

    /// <summary>Stores a finished session's bytes through the store's atomic write, then drops the session.</summary>
    private static async ValueTask<(IFile File, bool Created)> CommitAsync(DavContext context, UploadServices uploads, UploadSession session, IFile? existing)
    {
        if (await TryAdoptAsync(context, uploads, session, existing) is { } adopted)
        {
            await uploads.Sessions.DeleteAsync(session, CancellationToken.None);
            return (adopted, existing is null);
        }

        IFile file;
        await using (var content = await uploads.Sessions.OpenReadAsync(session, context.Aborted))
        {
            if (existing is not null)
            {
                await existing.WriteAsync(content, session.ContentType, 0, session.BytesSaved, context.Aborted);
                file = existing;
            }
            else
            {
                var parent = await Parents.RequireAsync(context, session.Path);
                file = await parent.CreateFileAsync(session.Path.Name, content, session.ContentType, session.BytesSaved, context.Aborted);
            }
        }

        await uploads.Sessions.DeleteAsync(session, CancellationToken.None);
        return (file, existing is null);
    }

    /// <summary>When both sides keep plain files, the finished upload is renamed into place rather than copied.</summary>
    private static async ValueTask<IFile?> TryAdoptAsync(DavContext context, UploadServices uploads, UploadSession session, IFile? existing)
    {
        if (uploads.Sessions is not IPhysicalUploadSessions physical || physical.GetDataPath(session) is not { } dataPath)
        {
            return null;
        }

        if (existing is not null)
        {
            return existing is IAdoptFile target && await target.TryAdoptAsync(existing.Name, dataPath, session.ContentType, context.Aborted) ? existing : null;
        }

        var parent = await Parents.RequireAsync(context, session.Path);
        if (parent is not IAdoptFile folder || !await folder.TryAdoptAsync(session.Path.Name, dataPath, session.ContentType, context.Aborted))
        {
            return null;
        }

        return await context.ResolveAsync(session.Path) as IFile
            ?? throw new DavException(StatusCodes.Status500InternalServerError, "The adopted file cannot be found.");
    }

    /// <summary>The answer to a write that stored content: the status, the new validators, no body.</summary>
    internal static void Answer(HttpResponse response, IFile file, int status)
    {
        response.StatusCode = status;
        ContentSender.WriteValidators(response, file);
        response.ContentLength = 0;
    }
}
