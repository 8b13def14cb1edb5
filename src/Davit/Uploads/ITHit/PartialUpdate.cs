using Davit.Engine;
using Davit.Engine.Methods;
using Davit.Http;
using Davit.Storage;

namespace Davit.Uploads.ITHit;

/// <summary>
/// Rewrites one byte range of an existing file, atomically, for any store (Apache mod_dav's and Cyberduck's partial
/// PUT): the new content (the old bytes before the range, the request body, the old bytes after it) is composed from
/// one open version of the file and staged; the write then replaces the file only if it is still that version, so a
/// concurrent write is never half overwritten (412), and a failed request changes nothing.
/// </summary>
internal static class PartialUpdate
{
    /// <summary>True when a segment past 0 with no upload in progress can edit <paramref name="file"/>: it neither
    /// leaves a gap nor contradicts the file's length.</summary>
    public static bool Applies(IFile file, UploadRange range) =>
        range.First <= file.ContentLength && (range.Total is null || range.Total == Math.Max(file.ContentLength, range.Last + 1));

    /// <summary>Stages the new content; returns it with the entity tag of the version it was composed from.</summary>
    public static async ValueTask<(FileContent Content, string BasisETag)> StageAsync(DavRequest request, IFile file, UploadRange range)
    {
        var basis = await file.OpenReadAsync(request.Aborted);
        request.DisposeAtEnd(basis);
        if (!Applies(file, range) || range.First > basis.Length)
        {
            throw new DavException(Microsoft.AspNetCore.Http.StatusCodes.Status412PreconditionFailed, "The previous piece of the file was not uploaded.");
        }

        var oldLength = basis.Length;
        var newLength = Math.Max(oldLength, range.Last + 1);
        var body = new ExactLengthStream(request.Request.Body, range.Length);
        var composed = ContentStreams.Open(
            async (output, token) =>
            {
                await basis.ReadAsync(output, 0, range.First, token);
                await body.CopyToAsync(output, token);
                if (range.Last + 1 < oldLength)
                {
                    await basis.ReadAsync(output, range.Last + 1, oldLength - range.Last - 1, token);
                }
            },
            request.Aborted);
        request.DisposeAtEnd(composed);

        // Staged before the unit of work, so that the request body is not read while the store is held; a store
        // without staging reads it inside, as it reads every body.
        if (request.Staging is not { } staging)
        {
            return (FileContent.FromStream(composed, newLength, request.Request.ContentType), basis.ETag);
        }

        var staged = await staging.StageAsync(composed, newLength, request.Aborted);
        request.DisposeAtEnd(staged);
        return (FileContent.FromStaged(staged, request.Request.ContentType), basis.ETag);
    }
}
