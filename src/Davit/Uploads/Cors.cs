using Davit.Hosting;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>
/// Cross-origin access for browser clients of tus and the IETF upload protocol (the Fetch standard's CORS protocol),
/// for the origins in <see cref="DavOptions.CorsOrigins"/>; nothing when that list is empty. Answers carry
/// Access-Control-Allow-Origin and expose the upload headers, which a page's script could not read otherwise.
/// </summary>
internal static class Cors
{
    private const string ExposedHeaders =
        "Location, Upload-Offset, Upload-Length, Upload-Metadata, Upload-Defer-Length, Upload-Expires, Tus-Resumable, Tus-Version, "
        + "Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm, Upload-Complete, Upload-Limit, Upload-Draft-Interop-Version, ETag";

    private const string AllowedHeaders =
        "Authorization, Content-Type, Content-Disposition, X-Requested-With, X-HTTP-Method-Override, Tus-Resumable, Upload-Length, "
        + "Upload-Offset, Upload-Metadata, Upload-Defer-Length, Upload-Checksum, Upload-Complete, Upload-Draft-Interop-Version, Overwrite, If";

    private const string AllowedMethods = "OPTIONS, HEAD, POST, PUT, PATCH, DELETE";

    /// <summary>"*", or an origin: a scheme (http or https), a host and maybe a port, with no path.</summary>
    public static bool IsValidOrigin(string origin) =>
        origin == "*"
        || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase));

    /// <summary>A preflight (OPTIONS with Origin and Access-Control-Request-Method) from an allowed origin.</summary>
    public static bool IsPreflight(DavOptions options, HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.AccessControlRequestMethod.Count > 0 && AllowOrigin(options, request) is not null;

    /// <summary>The headers of an answer to an actual request from an allowed origin; none for another.</summary>
    public static void AddResponseHeaders(DavOptions options, HttpContext http)
    {
        if (AllowOrigin(options, http.Request) is not { } origin)
        {
            return;
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlExposeHeaders = ExposedHeaders;
        if (origin != "*")
        {
            headers.AccessControlAllowCredentials = "true";
            headers.Vary = "Origin";
        }
    }

    /// <summary>The headers of an answer to a preflight.</summary>
    public static void AddPreflightHeaders(DavOptions options, HttpContext http)
    {
        AddResponseHeaders(options, http);
        var headers = http.Response.Headers;
        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = ((long)options.CorsMaxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? AllowOrigin(DavOptions options, HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (!options.AllowsCorsOrigin(origin))
        {
            return null;
        }

        // A listed origin is echoed (and may send credentials); one allowed only by "*" gets "*".
        return options.CorsOrigins.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase)) ? origin : "*";
    }
}
