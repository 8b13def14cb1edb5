using Davit.Storage;
using Davit.Uploads;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// CANCELUPLOAD (the seed's method): discards the upload in progress at the URL and its bytes. 204 when one was
/// cancelled; 404 when none is in progress; 409 while a request is still writing to it. The URL keeps its previous
/// content (the seed's client sends DELETE afterwards when it wants the file gone).
/// </summary>
internal sealed class CancelUploadHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var uploads = context.Uploads ?? throw new DavException(StatusCodes.Status501NotImplemented, "Uploads are turned off.");
        IResumableUpload? upload = null;
        if (context.Item is IUploadProgress native)
        {
            upload = (await native.GetUploadProgressAsync(context.Aborted)).FirstOrDefault(u => u.Path == context.Path);
        }
        else if (await uploads.Sessions.GetAsync(context.Path, context.Now, context.Aborted) is { } session)
        {
            upload = SessionUpload.Create(session, uploads);
        }

        if (upload is null)
        {
            throw new DavException(StatusCodes.Status404NotFound, "No upload is in progress at this URL.");
        }

        using (uploads.Gate.Enter(context.Path))
        {
            await upload.CancelUploadAsync(context.Aborted);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
