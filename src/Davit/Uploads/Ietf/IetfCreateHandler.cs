using Davit.Authorization;
using Davit.Engine;
using Davit.Engine.Methods;
using Davit.Quotas;
using Davit.Storage;
using Davit.Uploads.Tus;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Davit.Uploads.Ietf;

/// <summary>
/// Upload creation: a PUT of a file, or a POST to a folder, with Upload-Complete. The body (maybe empty) is saved in a
/// new upload; Upload-Length, or Upload-Complete: ?1 with Content-Length, gives its length. With Upload-Complete: ?1
/// and the whole body received, the file is stored and the answer is a PUT's (201 or 204 with ETag) marked
/// Upload-Complete: ?1. With Upload-Complete: ?0, the answer is 201 with the upload resource in Location, Upload-Offset,
/// Upload-Limit and Upload-Complete: ?0. A POST names its file with Content-Disposition's filename (the draft's
/// recommendation) or, as tus-js-client's IETF modes send it, with tus's Upload-Metadata.
/// Errors: 400 for lengths that contradict each other (problem type inconsistent-upload-length) or a POST without a
/// file name; 413 above <see cref="Hosting.DavOptions.MaxUploadLength"/>; 404, 405, 409 and 412 as for PUT (or a
/// form POST); access and lock rules are those of a PUT of the file.
/// </summary>
internal sealed class IetfCreateHandler : IWriteHandler, IOwnRules
{
    private const string SessionKey = "davit.ietf.created";

    public int? StatusFor(StoreError error) => error == StoreError.AlreadyExists ? StatusCodes.Status412PreconditionFailed : null;

    public async ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) =>
        Target(request) is { } target ? await UploadRules.AccessAsync(request, target) : [new(request.Path, DavAccess.Create, false)];

    public async ValueTask RequireLockTokensAsync(DavRequest request)
    {
        if (Target(request) is { } target)
        {
            await UploadRules.RequireLockTokensAsync(request, target);
        }
    }

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        var http = request.Request;
        var response = UploadResponse.Of(request).Set(IetfHeaders.Complete, IetfHeaders.Boolean(false));
        var complete = IetfHeaders.ReadBoolean(http, IetfHeaders.Complete)!.Value;
        var length = IetfHeaders.ReadInteger(http, "Upload-Length");
        if (complete && http.ContentLength is { } whole)
        {
            if (length is { } stated && stated != whole)
            {
                return Inconsistent();
            }

            length = whole;
        }

        if (length > request.Options.MaxUploadLength)
        {
            response.Set("Upload-Limit", IetfHeaders.Limit(request.Options, null));
            throw new DavException(StatusCodes.Status413PayloadTooLarge, $"Uploads are limited to {request.Options.MaxUploadLength} bytes.");
        }

        var target = Target(request) ?? throw NoTarget(request);
        var existing = target == request.Path ? request.Item : await request.ResolveAsync(target);
        if (existing is IFolder)
        {
            throw HttpMethods.IsPut(http.Method)
                ? new DavException(StatusCodes.Status405MethodNotAllowed, "PUT cannot replace a collection.")
                : new DavException(StatusCodes.Status409Conflict, $"A folder is named {target.Name}.");
        }

        var createOnly = !PutHandler.ReadOverwrite(http) || http.Headers.IfNoneMatch.ToString() == "*";
        if (createOnly && existing is not null)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        if (existing is null)
        {
            await Parents.RequireAsync(request, target);
        }

        var state = new UploadState(IetfHeaders.Protocol, MediaType(http), createOnly, null);
        var session = await QuotaGuard.CreateSessionAsync(request, target, length, state.Encode());
        response.Set("Location", UploadUrl.For(request, session, IetfHeaders.QueryParameter));
        IetfUpload.DescribeProgress(request, session);
        session = await UploadAppend.WriteAsync(request, session, http.Body, length, StatusCodes.Status400BadRequest, null);
        IetfUpload.DescribeProgress(request, session);
        if (!complete)
        {
            return IetfHeaders.Answer(StatusCodes.Status201Created);
        }

        if (length is { } total && session.BytesSaved != total)
        {
            return Inconsistent();
        }

        request.StoreContext.Items[SessionKey] = (session, state);
        return null;
    }

    public ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var (session, state) = ((UploadSession, UploadState))request.StoreContext.Items[SessionKey]!;
        return IetfUpload.CompleteAsync(request, session, state);
    }

    internal static DavResult Inconsistent() =>
        IetfHeaders.Problem(StatusCodes.Status400BadRequest, "inconsistent-upload-length", "inconsistent length values for upload");

    /// <summary>The file the upload becomes: the URL of a PUT; for a POST to a folder, the named file in it; null when
    /// a POST names none or is not to a folder.</summary>
    private static DavPath? Target(DavRequest request)
    {
        if (HttpMethods.IsPut(request.Request.Method))
        {
            return request.Path;
        }

        return request.Item is IFolder folder && FileName(request.Request) is { } name ? folder.Path.Append(UploadName.Require(name)) : null;
    }

    private static string? FileName(HttpRequest request)
    {
        if (ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition)
            && HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value is { Length: > 0 } name)
        {
            return name;
        }

        return TusMetadata.TryParse(request.Headers["Upload-Metadata"].ToString(), out var pairs) ? pairs.GetValueOrDefault("filename") : null;
    }

    private static string? MediaType(HttpRequest request)
    {
        var type = request.ContentType;
        if (!string.IsNullOrEmpty(type) && !type.StartsWith(IetfHeaders.PartialUpload, StringComparison.OrdinalIgnoreCase))
        {
            return type;
        }

        return TusMetadata.TryParse(request.Headers["Upload-Metadata"].ToString(), out var pairs) ? pairs.GetValueOrDefault("filetype") : null;
    }

    private static DavException NoTarget(DavRequest request) => request.Item switch
    {
        IFolder => new DavException(StatusCodes.Status400BadRequest, "The upload names no file (Content-Disposition: inline; filename=...)."),
        null => new DavException(StatusCodes.Status404NotFound, "There is no folder at this URL."),
        _ => new DavException(StatusCodes.Status405MethodNotAllowed, "Uploads are created with POST to a folder or PUT of a file."),
    };
}
