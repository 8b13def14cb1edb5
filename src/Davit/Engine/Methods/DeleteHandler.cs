using Davit.Http;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// DELETE (RFC 4918 §9.6): the whole tree. 204 when everything went, 207 listing only the members that could
/// not be deleted, 404 when nothing is mapped, 403 for the root, 400 for a Depth other than infinity on a collection.
/// Locks and uploads in progress at or below the item go with it.
/// </summary>
internal sealed class DeleteHandler : IWriteHandler
{
    public ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        CheckDepth(request);
        return ValueTask.FromResult<DavResult?>(null);
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var item = request.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        if (item.Path.IsRoot)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "The root cannot be deleted.");
        }

        CheckDepth(request);
        var errors = new TreeErrors();
        await StoreTrees.DeleteAsync(item, errors, request.Aborted);
        if (errors.HasErrors)
        {
            return MemberErrors.Result(errors);
        }

        // Locks never outlive their resource (RFC 4918 §9.6.1): a later resource at this URL starts unlocked.
        if (request.Locks is { } locks)
        {
            await locks.RemoveTreeAsync(item.Path, request.Aborted);
        }

        // Nor do uploads in progress below it: finishing one later must not bring a file back into a deleted tree.
        if (request.Sessions is { } sessions)
        {
            foreach (var session in await sessions.ListAsync(item.Path, request.Now, request.Aborted))
            {
                await sessions.DeleteAsync(session, request.Aborted);
            }
        }

        return DavResult.Status(StatusCodes.Status204NoContent);
    }

    private static void CheckDepth(DavRequest request)
    {
        if (request.Item is IFolder && (!DavHeaders.TryParseDepth(request.Request.Headers["Depth"], Depth.Infinity, out var depth) || depth != Depth.Infinity))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "DELETE of a collection must have Depth: infinity.");
        }
    }
}
