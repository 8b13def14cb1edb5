using Davit.Authorization;
using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>
/// PATCH on a tus upload URL (core protocol): the body, of <c>application/offset+octet-stream</c>, is appended at
/// Upload-Offset, which must be the upload's current offset; 204 with the new Upload-Offset and Upload-Expires. The
/// bytes are written outside any unit of work; the PATCH that completes the upload stores the file through the
/// store's atomic write before it answers. An interrupted body keeps what arrived. Upload-Length may be sent once on
/// an upload whose length was deferred. Upload-Checksum checks the body (460 on a mismatch, and none of it is kept).
/// Errors: 400 for a missing or malformed Upload-Offset or a contradicting Upload-Length; 404 for an unknown upload;
/// 409 when Upload-Offset is not the upload's offset (or another request is writing it); 413 when the body goes past
/// the length or <see cref="Hosting.DavOptions.MaxUploadLength"/>; 415 for another media type.
/// </summary>
internal sealed class TusPatchHandler : IWriteHandler, IOwnRules
{
    private const string SessionKey = "davit.tus.completed";

    public int? StatusFor(StoreError error) => error == StoreError.AlreadyExists ? StatusCodes.Status412PreconditionFailed : null;

    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => UploadRules.AccessAsync(request, request.Path);

    public ValueTask RequireLockTokensAsync(DavRequest request) => UploadRules.RequireLockTokensAsync(request, request.Path);

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        TusHeaders.RequireVersion(request);
        var http = request.Request;
        if (!string.Equals(http.ContentType?.Split(';')[0].Trim(), TusHeaders.OffsetOctetStream, StringComparison.OrdinalIgnoreCase))
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, $"A PATCH body is {TusHeaders.OffsetOctetStream}.");
        }

        if (!TusHeaders.TryParseSize(http.Headers["Upload-Offset"], out var offset))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Upload-Offset must be a non-negative integer.");
        }

        var (session, state) = await TusUpload.RequireAsync(request);
        var total = ReadLength(request, session, offset);
        var digest = TusChecksum.Read(http);
        if (offset != session.BytesSaved)
        {
            throw new DavException(StatusCodes.Status409Conflict, $"The upload's offset is {session.BytesSaved}, not {offset}.");
        }

        if (total is { } length && http.ContentLength is { } declared && offset + declared > length)
        {
            throw new DavException(StatusCodes.Status413PayloadTooLarge, $"The body goes past the upload's {length} bytes.");
        }

        session = await UploadAppend.WriteAsync(request, session, http.Body, total, StatusCodes.Status413PayloadTooLarge, digest);
        TusUpload.DescribeProgress(request, session);
        if (!session.IsComplete)
        {
            return TusUpload.Answer(StatusCodes.Status204NoContent);
        }

        request.StoreContext.Items[SessionKey] = (session, state);
        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var (session, state) = ((UploadSession, UploadState))request.StoreContext.Items[SessionKey]!;
        await UploadCompletion.StoreAsync(request, session, state.CreateOnly);
        return TusUpload.Answer(StatusCodes.Status204NoContent);
    }

    /// <summary>The upload's length: the one it has, or the Upload-Length this PATCH gives a deferred one.</summary>
    private static long? ReadLength(DavRequest request, UploadSession session, long offset)
    {
        var header = request.Request.Headers["Upload-Length"].ToString();
        if (header.Length == 0)
        {
            return session.TotalLength;
        }

        if (!TusHeaders.TryParseSize(header, out var length) || length < offset || (session.TotalLength is { } known && known != length))
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"Upload-Length {header} contradicts the upload.");
        }

        if (length > request.Options.MaxUploadLength)
        {
            throw new DavException(StatusCodes.Status413PayloadTooLarge, $"Uploads are limited to {request.Options.MaxUploadLength} bytes.");
        }

        return length;
    }
}
