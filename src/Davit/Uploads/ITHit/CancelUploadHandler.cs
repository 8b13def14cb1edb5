using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.ITHit;

/// <summary>
/// CANCELUPLOAD (IT Hit's method): discards the upload in progress at the URL and its bytes. 204 when one was
/// cancelled; 404 when none is in progress. A request still writing to the upload fails (the cancel wins). The URL
/// keeps its previous content (IT Hit's client sends DELETE afterwards when it wants the file gone).
/// </summary>
internal sealed class CancelUploadHandler : IWriteHandler
{
    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        if (request.Item is IUploadProgress native)
        {
            var upload = (await native.GetUploadProgressAsync(request.Aborted)).FirstOrDefault(u => u.Path == request.Path)
                ?? throw new DavException(StatusCodes.Status404NotFound, "No upload is in progress at this URL.");
            await upload.CancelUploadAsync(request.Aborted);
            return DavResult.Status(StatusCodes.Status204NoContent);
        }

        var sessions = request.Sessions;
        var session = (sessions is null ? null : await sessions.GetAsync(request.Path, request.Now, request.Aborted))
            ?? throw new DavException(StatusCodes.Status404NotFound, "No upload is in progress at this URL.");

        await sessions!.DeleteAsync(session, request.Aborted);
        return DavResult.Status(StatusCodes.Status204NoContent);
    }
}
