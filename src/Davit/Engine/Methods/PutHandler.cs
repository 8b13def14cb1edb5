using Davit.Http;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PUT (RFC 9110 §9.3.4, RFC 4918 §9.7): the request body streams to the store, which stores it atomically.
/// 201 for a new file, 204 for a replaced one, 409 when the parent is missing, 405 on a folder, 412 for
/// Overwrite: F on an existing file. With Content-Range, a segment of a resumable upload or a partial update
/// (<see cref="UploadCoordinator"/>); large plain bodies go through an upload session too, so that an interrupted
/// one can be resumed.
/// </summary>
internal sealed class PutHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var request = context.Request;
        if (context.Item is IFolder)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "PUT cannot replace a collection.");
        }

        var contentRange = request.Headers.ContentRange.ToString();

        // Overwrite on PUT is not in RFC 4918, but IT Hit's browser client relies on it (Overwrite: F = create only).
        if (!DavHeaders.TryParseOverwrite(request.Headers["Overwrite"], out var overwrite))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The Overwrite header must be T or F.");
        }

        if (context.Item is not null && !overwrite)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        if (contentRange.Length > 0)
        {
            // RFC 9110 §14.5: a server must refuse a Content-Range it does not apply, never store the segment as the
            // whole file.
            if (context.Uploads is null || !ContentRangeHeader.TryParse(contentRange, out var range))
            {
                throw new DavException(StatusCodes.Status400BadRequest, "Content-Range must be \"bytes first-last/total\" or \"bytes first-last/*\".");
            }

            await UploadCoordinator.PutSegmentAsync(context, context.Uploads, range);
            return;
        }

        var (body, expected) = Body(request);
        if (context.Uploads is { } uploads && (expected is null || expected >= context.Options.ResumableUploadThreshold))
        {
            await UploadCoordinator.PutWholeAsync(context, uploads, body, expected);
            return;
        }

        await PutDirectAsync(context, body, expected ?? -1);
    }

    /// <summary>
    /// The body and its expected length. macOS Finder sends chunked bodies with X-Expected-Entity-Length instead of
    /// Content-Length; a body that then ends short fails with 400 and never leaves a truncated file behind.
    /// </summary>
    private static (Stream Body, long? Expected) Body(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return (request.Body, length);
        }

        if (long.TryParse(request.Headers["X-Expected-Entity-Length"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expected))
        {
            return (new ExactLengthStream(request.Body, expected), expected);
        }

        return (request.Body, null);
    }

    private static async ValueTask PutDirectAsync(DavContext context, Stream body, long length)
    {
        var contentType = context.Request.ContentType;
        if (context.Item is IFile existing)
        {
            await existing.WriteAsync(body, contentType, 0, length, context.Aborted);
            UploadCoordinator.Answer(context.Response, existing, StatusCodes.Status204NoContent);
        }
        else
        {
            var parent = await Parents.RequireAsync(context, context.Path);
            var file = await parent.CreateFileAsync(context.Path.Name, body, contentType, length, context.Aborted);
            UploadCoordinator.Answer(context.Response, file, StatusCodes.Status201Created);
        }
    }
}
