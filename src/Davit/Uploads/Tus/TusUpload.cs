using System.Globalization;
using Davit.Engine;
using Davit.Properties;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>What the handlers on a tus upload URL share: finding the upload, and the headers that describe it.</summary>
internal static class TusUpload
{
    /// <summary>The tus upload the URL names; 404 when there is none (never made, finished, terminated, expired or
    /// replaced by a later upload of the same file).</summary>
    public static async ValueTask<(UploadSession Session, UploadState State)> RequireAsync(DavRequest request)
    {
        var session = await UploadUrl.FindAsync(request, TusHeaders.QueryParameter);
        if (session is null || UploadState.Of(session, TusHeaders.Protocol) is not { } state)
        {
            throw new DavException(StatusCodes.Status404NotFound, "There is no such upload (finished, terminated, expired or never made).");
        }

        return (session, state);
    }

    /// <summary>Upload-Offset and, with the expiration extension, Upload-Expires.</summary>
    public static void DescribeProgress(DavRequest request, UploadSession session) =>
        UploadResponse.Of(request)
            .Set("Upload-Offset", session.BytesSaved.ToString(CultureInfo.InvariantCulture))
            .Set("Upload-Expires", LiveProperties.FormatHttpDate(session.ExpiresUtc));

    public static DavResult Answer(int status) => DavResult.From(r =>
    {
        r.Response.StatusCode = status;
        r.Response.ContentLength = 0;
        return ValueTask.CompletedTask;
    });
}
