using System.Globalization;
using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>The names and values of tus 1.0 (tus.io, protocol 1.0.0), and the parsing of its plain headers.</summary>
internal static class TusHeaders
{
    public const string Protocol = "tus";

    /// <summary>The query parameter of an upload URL (<c>?tus=&lt;session id&gt;</c>).</summary>
    public const string QueryParameter = "tus";

    public const string Version = "1.0.0";

    /// <summary>Every extension implemented, as Tus-Extension lists them.</summary>
    public const string Extensions = "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum";

    /// <summary>The media type of a PATCH body (core protocol) and of a creation-with-upload body.</summary>
    public const string OffsetOctetStream = "application/offset+octet-stream";

    public const string Resumable = "Tus-Resumable";

    /// <summary>Core protocol: every request but OPTIONS names the version it speaks; 412 with Tus-Version for another.</summary>
    public static void RequireVersion(DavRequest request)
    {
        UploadResponse.Of(request).SetFor(StatusCodes.Status412PreconditionFailed, "Tus-Version", Version);
        var version = request.Request.Headers[Resumable].ToString();
        if (version != Version)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, $"Tus-Resumable '{version}' is not a version this server speaks ({Version}).");
        }
    }

    /// <summary>A non-negative decimal integer, as Upload-Length and Upload-Offset are; false for anything else.</summary>
    public static bool TryParseSize(string? value, out long size) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out size);

    /// <summary>True when the request has a body of the tus media type; 415 for a body of another.</summary>
    public static bool HasOffsetBody(HttpRequest request)
    {
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        var isOffset = string.Equals(request.ContentType?.Split(';')[0].Trim(), OffsetOctetStream, StringComparison.OrdinalIgnoreCase);
        if (hasBody && !isOffset)
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, $"A tus body is {OffsetOctetStream}.");
        }

        return hasBody;
    }
}
