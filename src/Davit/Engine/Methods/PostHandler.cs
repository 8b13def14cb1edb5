using Davit.Authorization;
using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Davit.Engine.Methods;

/// <summary>
/// POST of a browser form (multipart/form-data) to a folder: every file part is stored in the folder under its file
/// name, streamed part by part (no part is held in memory), each through an upload session so that the folder's
/// upload-progress REPORT shows it while the POST runs (the seed's progress bar for forms). Form fields without a
/// file are ignored. 201 when a file was created, 200 when all replaced existing ones; 404 when the folder is
/// missing; 405 on a file; 415 for another body; 400 for a form with no file or a file name that cannot be a name;
/// 409 when a folder has the file's name. Lock rules apply to each file.
/// </summary>
internal sealed class PostHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var folder = context.Item switch
        {
            IFolder f => f,
            null => throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL."),
            _ => throw new DavException(StatusCodes.Status405MethodNotAllowed, "Files are uploaded with POST to a folder."),
        };
        var boundary = Boundary(context.Request.ContentType);
        var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
        var created = false;
        var stored = 0;
        while (await reader.ReadNextSectionAsync(context.Aborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
            {
                continue; // a plain form field; the reader skips its body
            }

            created |= await StoreAsync(context, folder, FileName(disposition), section);
            stored++;
        }

        if (stored == 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The form holds no file.");
        }

        context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private static async ValueTask<bool> StoreAsync(DavContext context, IFolder folder, string name, MultipartSection section)
    {
        var path = folder.Path.Append(name);
        var existing = await context.ResolveAsync(path);
        if (existing is IFolder)
        {
            throw new DavException(StatusCodes.Status409Conflict, $"A folder is named {name}.");
        }

        await DavAuthorization.RequireAsync(context, path, existing is null ? DavAccess.Create : DavAccess.WriteContent);
        await LockManager.RequireWriteAsync(context, path, existing is null);
        if (context.Uploads is { } uploads)
        {
            var (_, created) = await UploadCoordinator.UploadWholeAsync(context, uploads, path, existing as IFile, section.Body, section.ContentType, null, context.Request.ContentLength);
            return created;
        }

        if (existing is IFile file)
        {
            await file.WriteAsync(section.Body, section.ContentType, 0, -1, context.Aborted);
            return false;
        }

        await folder.CreateFileAsync(name, section.Body, section.ContentType, -1, context.Aborted);
        return true;
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, "POST to a folder takes a multipart/form-data body.");
        }

        return boundary;
    }

    /// <summary>The part's file name without any folder a browser put in front of it (old IE sent "C:\dir\name").</summary>
    private static string FileName(ContentDispositionHeaderValue disposition)
    {
        var raw = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? string.Empty;
        var name = raw[(raw.LastIndexOfAny(['/', '\\']) + 1)..];
        return DavPath.IsValidSegment(name) ? name : throw new DavException(StatusCodes.Status400BadRequest, $"'{raw}' cannot be a file name.");
    }
}
