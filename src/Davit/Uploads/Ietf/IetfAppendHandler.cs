using Davit.Authorization;
using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Ietf;

/// <summary>
/// PATCH on an upload resource (upload append): the body, of <c>application/partial-upload</c>, is appended at
/// Upload-Offset, which must be the upload's offset. With Upload-Complete: ?0, 204 with Upload-Complete: ?0 and the new
/// Upload-Offset; with ?1, the file is stored and the answer is the target resource's (201 or 204, Upload-Complete: ?1).
/// An interrupted body keeps what arrived. Errors: 409 with the right Upload-Offset and Upload-Complete: ?0 (problem
/// type mismatching-upload-offset) for another offset, or while another request writes the upload; 400 for a
/// missing Upload-Offset or Upload-Complete, or lengths that contradict the upload (inconsistent-upload-length);
/// 404 for an unknown upload; 413 above the limit; 415 for another media type (interop version 5, tus-js-client's
/// "ietf-draft-03", sends none, and may).
/// </summary>
internal sealed class IetfAppendHandler : IWriteHandler, IOwnRules
{
    private const string SessionKey = "davit.ietf.completed";

    public int? StatusFor(StoreError error) => error == StoreError.AlreadyExists ? StatusCodes.Status412PreconditionFailed : null;

    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => UploadRules.AccessAsync(request, request.Path);

    public ValueTask RequireLockTokensAsync(DavRequest request) => UploadRules.RequireLockTokensAsync(request, request.Path);

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        var http = request.Request;
        UploadResponse.Of(request).Set(IetfHeaders.Complete, IetfHeaders.Boolean(false));
        var session = await IetfUpload.RequireAsync(request);
        var state = UploadState.Of(session, IetfHeaders.Protocol)!;
        var type = http.ContentType?.Split(';')[0].Trim();
        if (type is null ? IetfHeaders.ReadInterop(http) != 5 : !string.Equals(type, IetfHeaders.PartialUpload, StringComparison.OrdinalIgnoreCase))
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, $"An append is {IetfHeaders.PartialUpload}.");
        }

        var offset = IetfHeaders.ReadInteger(http, "Upload-Offset")
            ?? throw new DavException(StatusCodes.Status400BadRequest, "An append needs Upload-Offset.");
        var complete = IetfHeaders.ReadBoolean(http, IetfHeaders.Complete)
            ?? throw new DavException(StatusCodes.Status400BadRequest, "An append needs Upload-Complete.");
        if (offset != session.BytesSaved)
        {
            IetfUpload.DescribeProgress(request, session);
            return IetfHeaders.Problem(StatusCodes.Status409Conflict, "mismatching-upload-offset", "offset from request does not match offset of resource",
                ("expected-offset", session.BytesSaved), ("provided-offset", offset));
        }

        var total = session.TotalLength;
        foreach (var stated in (long?[])[IetfHeaders.ReadInteger(http, "Upload-Length"), complete ? offset + http.ContentLength : null])
        {
            if (stated is null)
            {
                continue;
            }

            if (total is { } known && known != stated)
            {
                return IetfCreateHandler.Inconsistent();
            }

            total = stated;
        }

        if (total > request.Options.MaxUploadLength)
        {
            throw new DavException(StatusCodes.Status413PayloadTooLarge, $"Uploads are limited to {request.Options.MaxUploadLength} bytes.");
        }

        session = await UploadAppend.WriteAsync(request, session, http.Body, total, StatusCodes.Status400BadRequest, null);
        IetfUpload.DescribeProgress(request, session);
        if (!complete)
        {
            return IetfHeaders.Answer(StatusCodes.Status204NoContent);
        }

        if (total is { } length && session.BytesSaved != length)
        {
            return IetfCreateHandler.Inconsistent();
        }

        request.StoreContext.Items[SessionKey] = (session, state);
        return null;
    }

    public ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var (session, state) = ((UploadSession, UploadState))request.StoreContext.Items[SessionKey]!;
        return IetfUpload.CompleteAsync(request, session, state);
    }
}
