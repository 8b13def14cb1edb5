using Davit.Properties;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// GET and HEAD (RFC 9110 §9.3.1-2). A file's bytes go out through the zero-copy path when the store has a
/// physical file, through <see cref="IContent.ReadAsync"/> otherwise. A folder gets an HTML listing.
/// </summary>
internal sealed class GetHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        switch (context.Item)
        {
            case null:
                throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
            case IFolder folder:
                if (!context.Options.FolderListing)
                {
                    context.Response.Headers.Allow = string.Join(", ", OptionsHandler.AllowedMethods(folder).Where(m => m is not "GET" and not "HEAD"));
                    throw new DavException(StatusCodes.Status405MethodNotAllowed, "Folder listings are turned off.");
                }

                await FolderListing.WriteAsync(context, folder);
                break;
            case IFile file:
                await SendFileAsync(context, file);
                break;
        }
    }

    private static async ValueTask SendFileAsync(DavContext context, IFile file)
    {
        var response = context.Response;
        var length = file.ContentLength;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = file.ContentType;
        response.ContentLength = length;
        response.Headers.ETag = LiveProperties.QuoteETag(file.ETag);
        response.Headers.LastModified = LiveProperties.FormatHttpDate(file.ModifiedUtc);
        if (HttpMethods.IsHead(context.Request.Method) || length == 0)
        {
            return;
        }

        if (file is IPhysicalFile { PhysicalPath: { } physicalPath })
        {
            await response.SendFileAsync(physicalPath, 0, length, context.Aborted);
        }
        else
        {
            await file.ReadAsync(response.Body, 0, length, context.Aborted);
        }

        context.BytesSent = length;
    }
}
