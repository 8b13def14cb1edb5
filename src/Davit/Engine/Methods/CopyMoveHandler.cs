using Davit.Http;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// COPY and MOVE (RFC 4918 §9.8, §9.9). Statuses: 201 new destination, 204 replaced destination, 207 some
/// members failed, 400 bad Depth/Overwrite/Destination, 403 source and destination overlap, 404 no source,
/// 409 destination parent missing, 412 Overwrite: F and the destination exists, 502 destination outside this
/// WebDAV mount.
/// </summary>
internal sealed class CopyMoveHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var isMove = context.Request.Method == "MOVE";
        var source = context.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        var destination = DestinationHeader.Resolve(context);
        var deep = ReadDepth(context, source, isMove);
        if (!DavHeaders.TryParseOverwrite(context.Request.Headers["Overwrite"], out var overwrite))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The Overwrite header must be T or F.");
        }

        CheckOverlap(source, destination, deep || isMove);
        var destinationFolder = await Parents.RequireAsync(context, destination);
        var existing = await context.ResolveAsync(destination);
        var errors = new MultistatusErrors();
        if (existing is not null)
        {
            if (!overwrite)
            {
                throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the destination exists.");
            }

            // RFC 4918 §9.8.4, §9.9.3: the destination is deleted first, so members never merge.
            await existing.DeleteAsync(errors, context.Aborted);
            if (errors.HasErrors)
            {
                await MemberErrors.WriteAsync(context, errors);
                return;
            }

            await RemoveLocksAsync(context, destination);
        }

        if (isMove)
        {
            await source.MoveToAsync(destinationFolder, destination.Name, errors, context.Aborted);

            // RFC 4918 §7.7, §9.9.4: locks do not travel with a moved resource.
            if (!errors.HasErrors)
            {
                await RemoveLocksAsync(context, source.Path);
            }
        }
        else
        {
            await source.CopyToAsync(destinationFolder, destination.Name, deep, errors, context.Aborted);
        }

        if (errors.HasErrors)
        {
            await MemberErrors.WriteAsync(context, errors);
            return;
        }

        context.Response.StatusCode = existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
    }

    private static ValueTask RemoveLocksAsync(DavContext context, DavPath path) =>
        context.Locks?.RemoveTreeAsync(path, context.Aborted) ?? ValueTask.CompletedTask;

    private static bool ReadDepth(DavContext context, IHierarchyItem source, bool isMove)
    {
        if (!DavHeaders.TryParseDepth(context.Request.Headers["Depth"], Depth.Infinity, out var depth) || depth == Depth.One)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Depth must be 0 or infinity.");
        }

        // RFC 4918 §9.9.2: a MOVE of a collection acts as Depth: infinity and may not ask for anything else.
        if (isMove && source is IFolder && depth != Depth.Infinity)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "MOVE of a collection must have Depth: infinity.");
        }

        return depth == Depth.Infinity;
    }

    private static void CheckOverlap(IHierarchyItem source, DavPath destination, bool deep)
    {
        if (destination == source.Path)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "The source and the destination are the same.");
        }

        if (source is IFolder && deep && destination.IsSameOrDescendantOf(source.Path))
        {
            throw new DavException(StatusCodes.Status403Forbidden, "A collection cannot be copied or moved into itself.");
        }

        if (source.Path.IsSameOrDescendantOf(destination))
        {
            throw new DavException(StatusCodes.Status403Forbidden, "The destination contains the source.");
        }
    }
}
