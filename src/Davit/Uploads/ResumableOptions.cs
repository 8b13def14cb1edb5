using System.Globalization;
using Davit.Engine;
using Davit.Uploads.Ietf;
using Davit.Uploads.Tus;

namespace Davit.Uploads;

/// <summary>What OPTIONS says of tus and the IETF upload protocol, when they are on: tus's Tus-Resumable,
/// Tus-Version, Tus-Extension, Tus-Checksum-Algorithm and (with a limit) Tus-Max-Size; the IETF draft's Upload-Limit
/// (<c>min-size=0</c> when there is no limit, as the draft asks).</summary>
internal static class ResumableOptions
{
    public static void Advertise(DavRequest request)
    {
        var options = request.Options;
        var headers = request.Response.Headers;
        if (options.EnableTus)
        {
            headers[TusHeaders.Resumable] = TusHeaders.Version;
            headers["Tus-Version"] = TusHeaders.Version;
            headers["Tus-Extension"] = TusHeaders.Extensions;
            headers["Tus-Checksum-Algorithm"] = TusChecksum.Algorithms;
            if (options.MaxUploadLength is { } max)
            {
                headers["Tus-Max-Size"] = max.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (options.EnableIetfUploads)
        {
            headers["Upload-Limit"] = IetfHeaders.Limit(options, null);
        }

        Cors.AddResponseHeaders(options, request.Http);
    }
}
