using Davit.Http;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// DELETE (RFC 4918 §9.6): the whole tree. 204 when everything went, 207 listing only the members that could
/// not be deleted, 404 when nothing is mapped, 400 for a Depth other than infinity on a collection.
/// </summary>
internal sealed class DeleteHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var item = context.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        if (item is IFolder && (!DavHeaders.TryParseDepth(context.Request.Headers["Depth"], Depth.Infinity, out var depth) || depth != Depth.Infinity))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "DELETE of a collection must have Depth: infinity.");
        }

        var errors = new MultistatusErrors();
        await item.DeleteAsync(errors, context.Aborted);
        if (errors.HasErrors)
        {
            await MemberErrors.WriteAsync(context, errors);
            return;
        }

        // Locks never outlive their resource (RFC 4918 §9.6.1): a later resource at this URL starts unlocked.
        if (context.Locks is not null)
        {
            await context.Locks.RemoveTreeAsync(item.Path, context.Aborted);
        }

        // Nor do uploads in progress below it: finishing one later must not bring a file back into a deleted tree.
        if (context.Uploads is { } uploads)
        {
            foreach (var session in await uploads.Sessions.ListAsync(item.Path, context.Now, context.Aborted))
            {
                await uploads.Sessions.DeleteAsync(session, context.Aborted);
            }
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
