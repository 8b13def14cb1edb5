using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>Lookups of the folder that holds a new item.</summary>
internal static class Parents
{
    /// <summary>
    /// The folder that would hold <paramref name="path"/>. 409 when it is missing or is a file: RFC 4918 §9.3.1,
    /// §9.7.1 and §9.8.5 forbid creating intermediate collections.
    /// </summary>
    public static async ValueTask<IFolder> RequireAsync(DavRequest request, DavPath path)
    {
        if (path.IsRoot)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "The root cannot be replaced.");
        }

        return await request.ResolveAsync(path.Parent) as IFolder
            ?? throw new DavException(StatusCodes.Status409Conflict, "The parent collection does not exist.");
    }
}
