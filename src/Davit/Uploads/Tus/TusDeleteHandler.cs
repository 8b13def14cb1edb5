using Davit.Authorization;
using Davit.Engine;
using Davit.Locking;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>
/// DELETE on a tus upload URL (termination extension): 204, and the upload and its bytes are gone (later requests get
/// 404); a request still writing to it fails. The file the upload would have replaced keeps its content. Like
/// CANCELUPLOAD, it needs the lock token of a locked file.
/// </summary>
internal sealed class TusDeleteHandler : IWriteHandler, IOwnRules
{
    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => UploadRules.AccessAsync(request, request.Path);

    public ValueTask RequireLockTokensAsync(DavRequest request) => LockManager.RequireWriteAsync(request, request.Path, creates: false);

    public ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        TusHeaders.RequireVersion(request);
        return ValueTask.FromResult<DavResult?>(null);
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var (session, _) = await TusUpload.RequireAsync(request);
        await request.Sessions!.DeleteAsync(session, request.Aborted);
        return TusUpload.Answer(StatusCodes.Status204NoContent);
    }
}
