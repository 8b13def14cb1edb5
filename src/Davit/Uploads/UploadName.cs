using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>The file name a client gave an upload (tus's filename metadata, a Content-Disposition filename).</summary>
internal static class UploadName
{
    /// <summary>The name without any folder in front of it (browsers on Windows have sent "C:\dir\name"); 400 when
    /// what is left cannot be a name.</summary>
    public static string Require(string raw)
    {
        var name = raw[(raw.LastIndexOfAny(['/', '\\']) + 1)..];
        return DavPath.IsValidSegment(name) ? name : throw new DavException(StatusCodes.Status400BadRequest, $"'{raw}' cannot be a file name.");
    }
}
