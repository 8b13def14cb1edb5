using Davit.Authorization;
using Davit.Engine;
using Davit.Locking;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Ietf;

/// <summary>
/// DELETE on an upload resource (cancellation): 204, and the upload and its bytes are gone; a request still appending
/// to it fails. The file keeps its previous content. 404 for an unknown upload.
/// </summary>
internal sealed class IetfCancelHandler : IWriteHandler, IOwnRules
{
    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => UploadRules.AccessAsync(request, request.Path);

    public ValueTask RequireLockTokensAsync(DavRequest request) => LockManager.RequireWriteAsync(request, request.Path, creates: false);

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var session = await IetfUpload.RequireAsync(request);
        await request.Sessions!.DeleteAsync(session, request.Aborted);
        return IetfHeaders.Answer(StatusCodes.Status204NoContent);
    }
}
