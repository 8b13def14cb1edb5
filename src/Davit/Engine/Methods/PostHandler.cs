using Davit.Authorization;
using Davit.Locking;
using Davit.Quotas;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Davit.Engine.Methods;

/// <summary>
/// POST of a browser form (multipart/form-data) to a folder: every file part is stored in the folder under its file
/// name. The parts are streamed one by one (no part is held in memory) into upload sessions, so that the folder's
/// upload-progress REPORT shows them while the POST runs (IT Hit's progress bar for forms), and stored together once
/// the form has arrived. Form fields without a file are ignored. 201 when a file was created, 200 when all replaced
/// existing ones; 404 when the folder is missing; 405 on a file; 415 for another body; 400 for a form with no file or
/// a file name that cannot be a name; 409 when a folder has the file's name. Lock rules apply to each file.
/// </summary>
internal sealed class PostHandler : IWriteHandler
{
    private const string PartsKey = "davit.post.parts";

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        var folder = Folder(request);
        var boundary = Boundary(request.Request.ContentType);
        var reader = new MultipartReader(boundary, request.Request.Body) { BodyLengthLimit = null };
        var parts = new List<(DavPath Path, FileContent Content)>();
        while (await reader.ReadNextSectionAsync(request.Aborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
            {
                continue; // a plain form field; the reader skips its body
            }

            var path = folder.Path.Append(FileName(disposition));
            await CheckAsync(request, path, await request.ResolveAsync(path));
            parts.Add((path, await ContentWrites.StageAsync(request, path, section.Body, null, section.ContentType, request.Request.ContentLength)));
        }

        if (parts.Count == 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The form holds no file.");
        }

        await QuotaGuard.AdmitStagedAsync(request, parts);

        request.StoreContext.Items[PartsKey] = parts;
        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        Folder(request);
        var parts = (List<(DavPath Path, FileContent Content)>)request.StoreContext.Items[PartsKey]!;
        var created = false;
        try
        {
            var checkedParts = new List<(DavPath Path, FileContent Content, long OldLength)>(parts.Count);
            foreach (var (path, content) in parts)
            {
                var existing = await request.ResolveAsync(path);
                await CheckAsync(request, path, existing);
                checkedParts.Add((path, content, (existing as IFile)?.ContentLength ?? 0));
            }

            // Every part or none: the quota is checked for the whole form before the first part is stored.
            await QuotaGuard.BeforePartsAsync(request, checkedParts);
            foreach (var (path, content) in parts)
            {
                var existing = await request.ResolveAsync(path);
                created |= (await ContentWrites.StoreAsync(request, path, existing, content, conditional: false)).Created;
            }
        }
        catch (DavException ex) when (QuotaGuard.IsExceeded(ex))
        {
            // The whole form is refused; none of its parts may keep holding room in the quota.
            foreach (var (_, content) in parts)
            {
                if (content.Session is { } session)
                {
                    QuotaGuard.DiscardAtEnd(request, session);
                }
            }

            throw;
        }

        return DavResult.Status(created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static IFolder Folder(DavRequest request) => request.Item switch
    {
        IFolder f => f,
        null => throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL."),
        _ => throw new DavException(StatusCodes.Status405MethodNotAllowed, "Files are uploaded with POST to a folder."),
    };

    private static async ValueTask CheckAsync(DavRequest request, DavPath path, IHierarchyItem? existing)
    {
        if (existing is IFolder)
        {
            throw new DavException(StatusCodes.Status409Conflict, $"A folder is named {path.Name}.");
        }

        await DavAuthorization.RequireAsync(request, path, existing is null ? DavAccess.Create : DavAccess.WriteContent);
        await LockManager.RequireWriteAsync(request, path, existing is null);
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
