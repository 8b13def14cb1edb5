using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>Lookups of the folder that holds a new item.</summary>
internal static class Parents
{
    /// <summary>
    /// The folder that would hold <paramref name="path"/>, about to receive an item under its name. 409 when it is
    /// missing or is a file: RFC 4918 §9.3.1, §9.7.1 and §9.8.5 forbid creating intermediate collections. 400 for a
    /// name XML cannot carry (it could never be listed in a 207).
    /// </summary>
    public static async ValueTask<IFolder> RequireAsync(DavRequest request, DavPath path)
    {
        if (path.IsRoot)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "The root cannot be replaced.");
        }

        if (!Xml.XmlChars.CanCarry(path.Name))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The name holds a character that XML 1.0 cannot carry (a control character, U+FFFE or U+FFFF).");
        }

        return await request.ResolveAsync(path.Parent) as IFolder
            ?? throw new DavException(StatusCodes.Status409Conflict, "The parent collection does not exist.");
    }
}
