using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Ietf;

/// <summary>What the handlers on an IETF upload resource share: finding the upload, and the headers that describe it.</summary>
internal static class IetfUpload
{
    /// <summary>The upload the URL names; 404 when there is none (never made, completed, cancelled, expired, or
    /// replaced by a later upload of the same file: the server keeps no knowledge of finished uploads).</summary>
    public static async ValueTask<UploadSession> RequireAsync(DavRequest request)
    {
        var session = await UploadUrl.FindAsync(request, IetfHeaders.QueryParameter);
        if (session is null || UploadState.Of(session, IetfHeaders.Protocol) is null)
        {
            throw new DavException(StatusCodes.Status404NotFound, "There is no such upload (completed, cancelled, expired or never made).");
        }

        return session;
    }

    /// <summary>Upload-Offset and Upload-Limit of an upload in progress.</summary>
    public static void DescribeProgress(DavRequest request, UploadSession session) =>
        UploadResponse.Of(request)
            .Set("Upload-Offset", IetfHeaders.Integer(session.BytesSaved))
            .Set("Upload-Limit", IetfHeaders.Limit(request.Options, session, request.Now));

    /// <summary>Stores a completed upload's file and answers as a PUT would have: 201 or 204 with the new validators,
    /// marked Upload-Complete: ?1 (the answer of the target resource).</summary>
    public static async ValueTask<DavResult> CompleteAsync(DavRequest request, UploadSession session, UploadState state)
    {
        UploadResponse.Of(request).Set(IetfHeaders.Complete, IetfHeaders.Boolean(true));
        var (file, created) = await UploadCompletion.StoreAsync(request, session, state.CreateOnly);
        return DavResult.Written(created ? StatusCodes.Status201Created : StatusCodes.Status204NoContent, file);
    }
}
