using Davit.Http;
using Davit.Quotas;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// COPY and MOVE (RFC 4918 §9.8, §9.9). Statuses: 201 new destination, 204 replaced destination, 207 some
/// members failed, 400 bad Depth/Overwrite/Destination, 403 source and destination overlap, 404 no source,
/// 409 destination parent missing, 412 Overwrite: F and the destination exists, 502 destination outside this
/// WebDAV mount. A destination that is replaced is gone only once the copy or move succeeded.
/// </summary>
internal sealed class CopyMoveHandler : IWriteHandler
{
    public int? StatusFor(StoreError error) => error == StoreError.AlreadyExists ? StatusCodes.Status412PreconditionFailed : null;

    public ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        Read(request);
        return ValueTask.FromResult<DavResult?>(null);
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var isMove = request.Request.Method == "MOVE";
        var (source, destination, deep, overwrite) = Read(request);
        var destinationFolder = await Parents.RequireAsync(request, destination);
        var existing = await request.ResolveAsync(destination);
        if (existing is not null && !overwrite)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the destination exists.");
        }

        await QuotaGuard.BeforeTreeAsync(request, source, destination, existing, isMove, deep);
        var errors = new TreeErrors();
        if (isMove)
        {
            await StoreTrees.MoveAsync(source, destinationFolder, destination.Name, existing, errors, request.Aborted);
        }
        else
        {
            await StoreTrees.CopyAsync(source, destinationFolder, destination.Name, deep, existing, errors, request.Aborted);
        }

        if (errors.HasErrors)
        {
            return MemberErrors.Result(errors);
        }

        if (request.Locks is { } locks)
        {
            // RFC 4918 §7.7, §9.9.4: locks do not travel with a moved resource, and a replaced one loses its own.
            if (existing is not null)
            {
                await locks.RemoveTreeAsync(destination, request.Aborted);
            }

            if (isMove)
            {
                await locks.RemoveTreeAsync(source.Path, request.Aborted);
            }
        }

        return DavResult.Status(existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent);
    }

    private static (IHierarchyItem Source, DavPath Destination, bool Deep, bool Overwrite) Read(DavRequest request)
    {
        var isMove = request.Request.Method == "MOVE";
        var source = request.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        var destination = DestinationHeader.Resolve(request);
        var deep = ReadDepth(request, source, isMove);
        if (!DavHeaders.TryParseOverwrite(request.Request.Headers["Overwrite"], out var overwrite))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The Overwrite header must be T or F.");
        }

        CheckOverlap(source, destination, deep || isMove);
        return (source, destination, deep, overwrite);
    }

    private static bool ReadDepth(DavRequest request, IHierarchyItem source, bool isMove)
    {
        if (!DavHeaders.TryParseDepth(request.Request.Headers["Depth"], Depth.Infinity, out var depth) || depth == Depth.One)
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
