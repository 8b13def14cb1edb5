using Davit.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Davit.Uploads.ITHit;

/// <summary>
/// IT Hit's resumable-upload protocol, as its Ajax library and WebDAV clients speak it: a PUT with Content-Range
/// is a segment of an upload (<see cref="SegmentPutHandler"/>), REPORT with <c>&lt;upload-progress xmlns="ithit"/&gt;</c>
/// says how many bytes the server has (<see cref="UploadProgressReportHandler"/>), and CANCELUPLOAD discards an upload
/// (<see cref="CancelUploadHandler"/>). All three work on the store's upload sessions, or on the uploads a store
/// tracks itself (<see cref="IUploadProgress"/>). Off when <see cref="Hosting.DavOptions.EnableResumableUploads"/> is.
/// </summary>
internal sealed class ITHitUploadProtocol(IOptions<Hosting.DavOptions> options) : IRequestProtocol
{
    private readonly SegmentPutHandler segments = new();
    private readonly UploadProgressReportHandler report = new();
    private readonly CancelUploadHandler cancel = new();

    public IMethodHandler? TryGetHandler(DavRequest request)
    {
        if (!options.Value.EnableResumableUploads)
        {
            return null;
        }

        var method = request.Request.Method;
        if (HttpMethods.IsPut(method))
        {
            return request.SessionStore is not null && request.Request.Headers.ContentRange.Count > 0 ? segments : null;
        }

        return method switch
        {
            "REPORT" => report,
            "CANCELUPLOAD" => cancel,
            _ => null,
        };
    }
}
