using Davit.Engine;
using Davit.Engine.Methods;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>
/// Turns a finished tus or IETF upload into its file, inside the write's unit of work: through the store's ordinary
/// atomic write, which takes the session's bytes over without copying them, and only if the upload may still do so
/// (an upload made with <c>Overwrite: F</c> fails with 412 when the file has appeared meanwhile). The session goes once
/// the write is committed.
/// </summary>
internal static class UploadCompletion
{
    public static async ValueTask<(IFile File, bool Created)> StoreAsync(DavRequest request, UploadSession session, bool createOnly)
    {
        var existing = session.Path == request.Path ? request.Item : await request.ResolveAsync(session.Path);
        if (createOnly && existing is not null)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "The upload was made with Overwrite: F, and the file exists now.");
        }

        var sessions = request.SessionStore!;
        var content = FileContent.FromSession(UploadState.ForStorage(session), sessions);
        var stored = await ContentWrites.StoreAsync(request, session.Path, existing, content, createOnly);
        request.AfterCommit(() => sessions.DeleteAsync(session, CancellationToken.None));
        return stored;
    }
}
