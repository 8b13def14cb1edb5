using System.Globalization;
using Davit.Authorization;
using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>
/// HEAD on a tus upload URL (core protocol): 200 with Upload-Offset, Upload-Length (or Upload-Defer-Length: 1 while
/// the length is deferred), the Upload-Metadata given at creation, Upload-Expires and Cache-Control: no-store. 404 for
/// an unknown upload, without Upload-Offset.
/// </summary>
internal sealed class TusHeadHandler : IReadHandler, IOwnRules
{
    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => UploadRules.AccessAsync(request, request.Path);

    public ValueTask RequireLockTokensAsync(DavRequest request) => ValueTask.CompletedTask;

    public async ValueTask HandleAsync(DavRequest request)
    {
        TusHeaders.RequireVersion(request);
        var (session, state) = await TusUpload.RequireAsync(request);
        TusUpload.DescribeProgress(request, session);
        var headers = request.Response.Headers;
        if (session.TotalLength is { } length)
        {
            headers["Upload-Length"] = length.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            headers["Upload-Defer-Length"] = "1";
        }

        if (!string.IsNullOrEmpty(state.Metadata))
        {
            headers["Upload-Metadata"] = state.Metadata;
        }

        headers.CacheControl = "no-store";
        request.Response.StatusCode = StatusCodes.Status200OK;
    }
}
