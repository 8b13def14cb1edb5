using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Http;

/// <summary>The Destination header of COPY and MOVE (RFC 4918 §10.3).</summary>
internal static class DestinationHeader
{
    /// <summary>
    /// Decodes Destination, an absolute URI or an absolute path, into a path below the mount. Only the path is
    /// compared: behind a reverse proxy the client names the proxy's scheme, host and port. 400 when it is
    /// missing or malformed, 502 when it lies outside this WebDAV mount (RFC 4918 §9.8.5).
    /// </summary>
    public static DavPath Resolve(DavRequest context)
    {
        var value = context.Request.Headers["Destination"].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "COPY and MOVE need a Destination header.");
        }

        if (!TryDecode(value.Trim(), out var segments))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The Destination header is not a valid URI.");
        }

        if (!TryStripMount(context, segments, out var path))
        {
            throw new DavException(StatusCodes.Status502BadGateway, "The Destination is outside this WebDAV mount.");
        }

        return path;
    }

    /// <summary>The path below the mount named by <paramref name="uri"/> (an absolute URI or path, as in Destination
    /// and If header tags), as a store path below the user's home folder; false when it is malformed or outside
    /// the mount.</summary>
    public static bool TryResolve(DavRequest context, string uri, out DavPath path)
    {
        path = DavPath.Root;
        return TryDecode(uri, out var segments) && TryStripMount(context, segments, out path);
    }

    private static bool TryDecode(string uri, out List<string> segments)
    {
        segments = [];
        return RequestTarget.TryGetRawPath(uri, out var rawPath, out _) && PathCodec.TryDecodeSegments(rawPath, segments);
    }

    private static bool TryStripMount(DavRequest context, List<string> segments, out DavPath path)
    {
        path = DavPath.Root;
        var mount = context.HrefPrefix.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => PathCodec.TryDecode(s, out var decoded) ? decoded : s)
            .ToArray();
        return segments.Count >= mount.Length
            && segments.Take(mount.Length).SequenceEqual(mount, StringComparer.Ordinal)
            && DavPath.TryCreate(context.Home.Segments.Concat(segments.Skip(mount.Length)), out path);
    }
}
