using Davit.Authorization;
using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Ietf;

/// <summary>
/// HEAD on an upload resource (offset retrieval): 204 with Upload-Offset, Upload-Complete: ?0, Upload-Length when
/// known, Upload-Limit and Cache-Control: no-store; 404 for an unknown upload.
/// </summary>
internal sealed class IetfOffsetHandler : IReadHandler, IOwnRules
{
    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => UploadRules.AccessAsync(request, request.Path);

    public ValueTask RequireLockTokensAsync(DavRequest request) => ValueTask.CompletedTask;

    public async ValueTask HandleAsync(DavRequest request)
    {
        var session = await IetfUpload.RequireAsync(request);
        IetfUpload.DescribeProgress(request, session);
        var headers = request.Response.Headers;
        headers[IetfHeaders.Complete] = IetfHeaders.Boolean(false);
        if (session.TotalLength is { } length)
        {
            headers["Upload-Length"] = IetfHeaders.Integer(length);
        }

        headers.CacheControl = "no-store";
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
