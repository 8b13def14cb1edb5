using Davit.Authorization;
using Davit.Engine;
using Davit.Engine.Methods;
using Davit.Quotas;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>
/// POST to a folder with Tus-Resumable (creation extension): creates an upload of the file named by the
/// <c>filename</c> of Upload-Metadata in that folder, and answers 201 with its upload URL in Location and
/// Upload-Expires. Upload-Length gives its length, or <c>Upload-Defer-Length: 1</c> leaves it for a later PATCH
/// (creation-defer-length). A body of <c>application/offset+octet-stream</c> is the upload's first bytes
/// (creation-with-upload; Upload-Offset says how many were saved, Upload-Checksum may check them). An upload that is
/// complete at once (length 0, or the whole body) is stored before the answer.
/// Errors: 400 for a missing or malformed Upload-Length, Upload-Defer-Length or Upload-Metadata (or no filename in
/// it); 413 above <see cref="Hosting.DavOptions.MaxUploadLength"/>; 415 for a body of another type; 404 when the
/// folder is missing, 405 on a file, 409 when a folder has the file's name, 412 for <c>Overwrite: F</c> when the file
/// exists; access and lock rules are those of a PUT of the file.
/// </summary>
internal sealed class TusCreateHandler : IWriteHandler, IOwnRules
{
    private const string SessionKey = "davit.tus.created";

    public int? StatusFor(StoreError error) => error == StoreError.AlreadyExists ? StatusCodes.Status412PreconditionFailed : null;

    public async ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) =>
        request.Item is IFolder folder ? await UploadRules.AccessAsync(request, Target(request, folder)) : [new(request.Path, DavAccess.Create, false)];

    public async ValueTask RequireLockTokensAsync(DavRequest request)
    {
        if (request.Item is IFolder folder)
        {
            await UploadRules.RequireLockTokensAsync(request, Target(request, folder));
        }
    }

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        TusHeaders.RequireVersion(request);
        var http = request.Request;
        var folder = request.Item switch
        {
            IFolder f => f,
            null => throw new DavException(StatusCodes.Status404NotFound, "There is no folder at this URL."),
            _ => throw new DavException(StatusCodes.Status405MethodNotAllowed, "tus uploads are created with POST to a folder."),
        };
        var length = ReadLength(request);
        var (metadata, _, mediaType) = TusMetadata.Require(http);
        var target = Target(request, folder);
        var existing = await request.ResolveAsync(target);
        if (existing is IFolder)
        {
            throw new DavException(StatusCodes.Status409Conflict, $"A folder is named {target.Name}.");
        }

        var createOnly = !PutHandler.ReadOverwrite(http);
        if (createOnly && existing is not null)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        var hasBody = TusHeaders.HasOffsetBody(http);
        var digest = hasBody ? TusChecksum.Read(http) : null;
        var state = new UploadState(TusHeaders.Protocol, mediaType, createOnly, metadata);
        var session = await QuotaGuard.CreateSessionAsync(request, target, length, state.Encode());
        UploadResponse.Of(request).Set("Location", UploadUrl.For(request, session, TusHeaders.QueryParameter));
        TusUpload.DescribeProgress(request, session);
        if (hasBody)
        {
            session = await UploadAppend.WriteAsync(request, session, http.Body, length, StatusCodes.Status413PayloadTooLarge, digest);
            TusUpload.DescribeProgress(request, session);
        }

        if (!session.IsComplete)
        {
            return TusUpload.Answer(StatusCodes.Status201Created);
        }

        request.StoreContext.Items[SessionKey] = (session, state);
        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var (session, state) = ((UploadSession, UploadState))request.StoreContext.Items[SessionKey]!;
        await UploadCompletion.StoreAsync(request, session, state.CreateOnly);
        return TusUpload.Answer(StatusCodes.Status201Created);
    }

    /// <summary>The file the upload becomes; 412 first for a client of another tus version, whose Upload-Metadata
    /// need not mean what 1.0's does.</summary>
    private static DavPath Target(DavRequest request, IFolder folder)
    {
        TusHeaders.RequireVersion(request);
        return folder.Path.Append(TusMetadata.Require(request.Request).FileName);
    }

    /// <summary>Upload-Length, or null for <c>Upload-Defer-Length: 1</c>; exactly one of them (400 otherwise).</summary>
    private static long? ReadLength(DavRequest request)
    {
        var headers = request.Request.Headers;
        var length = headers["Upload-Length"].ToString();
        var defer = headers["Upload-Defer-Length"].ToString();
        if (length.Length > 0 == defer.Length > 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "A tus creation needs either Upload-Length or Upload-Defer-Length: 1.");
        }

        if (defer.Length > 0)
        {
            return defer == "1" ? null : throw new DavException(StatusCodes.Status400BadRequest, "Upload-Defer-Length must be 1.");
        }

        if (!TusHeaders.TryParseSize(length, out var size))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Upload-Length must be a non-negative integer.");
        }

        if (size > request.Options.MaxUploadLength)
        {
            throw new DavException(StatusCodes.Status413PayloadTooLarge, $"Uploads are limited to {request.Options.MaxUploadLength} bytes.");
        }

        return size;
    }
}
