using Davit.Properties;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PUT (RFC 9110 §9.3.4, RFC 4918 §9.7): the request body streams straight to the store, which stores it
/// atomically. 201 for a new file, 204 for a replaced one, 409 when the parent is missing, 405 on a folder.
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

        // RFC 9110 §14.5: a server that does not do partial PUT must refuse Content-Range, never ignore it and
        // store the segment as the whole file.
        if (request.Headers.ContentRange.Count > 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Partial PUT (Content-Range) is not supported.");
        }

        // Overwrite on PUT is not in RFC 4918, but IT Hit's browser client relies on it (Overwrite: F = create only).
        if (!Http.DavHeaders.TryParseOverwrite(request.Headers["Overwrite"], out var overwrite))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The Overwrite header must be T or F.");
        }

        if (context.Item is not null && !overwrite)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        var contentType = request.ContentType;
        var length = request.ContentLength ?? -1;
        IFile file;
        if (context.Item is IFile existing)
        {
            await existing.WriteAsync(request.Body, contentType, 0, length, context.Aborted);
            file = existing;
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            var parent = await Parents.RequireAsync(context, context.Path);
            file = await parent.CreateFileAsync(context.Path.Name, request.Body, contentType, length, context.Aborted);
            context.Response.StatusCode = StatusCodes.Status201Created;
        }

        context.Response.Headers.ETag = LiveProperties.QuoteETag(file.ETag);
        context.Response.Headers.LastModified = LiveProperties.FormatHttpDate(file.ModifiedUtc);
        context.Response.ContentLength = 0;
    }
}
