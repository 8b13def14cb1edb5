using System.Globalization;
using System.Text;
using Davit.Engine;
using Davit.Hosting;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Ietf;

/// <summary>
/// The fields of draft-ietf-httpbis-resumable-upload: Upload-Complete (a Structured Fields Boolean), Upload-Offset and
/// Upload-Length (Integers), Upload-Limit (a Dictionary), and Upload-Draft-Interop-Version. A value that is not of its
/// type is ignored, as the draft says (RFC 9651 §4.2: "?1", "?0", digits).
/// </summary>
internal static class IetfHeaders
{
    public const string Protocol = "ietf";

    /// <summary>The query parameter of an upload resource (<c>?upload=&lt;session id&gt;</c>).</summary>
    public const string QueryParameter = "upload";

    public const string PartialUpload = "application/partial-upload";

    public const string Complete = "Upload-Complete";

    public const string InteropVersion = "Upload-Draft-Interop-Version";

    /// <summary>The interop version of the draft text implemented (the editor's copy after -11).</summary>
    public const int LatestInteropVersion = 8;

    /// <summary>tus-js-client 4's IETF modes: "ietf-draft-03" sends 5, "ietf-draft-05" sends 6.</summary>
    public static readonly IReadOnlySet<int> ServedInteropVersions = new HashSet<int> { 5, 6, LatestInteropVersion };

    public static bool? ReadBoolean(HttpRequest request, string name) => request.Headers[name].ToString() switch
    {
        "?1" => true,
        "?0" => false,
        _ => null,
    };

    public static long? ReadInteger(HttpRequest request, string name) =>
        request.Headers[name].ToString() is { Length: > 0 and <= 15 } text
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The interop version the client sent, or null.</summary>
    public static int? ReadInterop(HttpRequest request) => (int?)ReadInteger(request, InteropVersion);

    public static string Boolean(bool value) => value ? "?1" : "?0";

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Upload-Limit: the size limit, and for an existing upload how long it lives without new bytes.</summary>
    public static string Limit(DavOptions options, UploadSession? session, DateTimeOffset now = default)
    {
        var parts = new List<string>();
        if (options.MaxUploadLength is { } max)
        {
            parts.Add("max-size=" + Integer(max));
        }

        if (session is not null)
        {
            var seconds = Math.Max(0, (long)(session.ExpiresUtc - now).TotalSeconds);
            parts.Add("max-age=" + Integer(seconds));
        }

        return parts.Count == 0 ? "min-size=0" : string.Join(", ", parts);
    }

    /// <summary>An answer with an RFC 9457 problem body, since a client can tell these failures apart only by it.</summary>
    public static DavResult Problem(int status, string type, string title, params (string Name, long Value)[] members) => DavResult.From(async r =>
    {
        var json = new StringBuilder("{\"type\":\"https://iana.org/assignments/http-problem-types#").Append(type)
            .Append("\",\"title\":\"").Append(title).Append('"');
        foreach (var (name, value) in members)
        {
            json.Append(",\"").Append(name).Append("\":").Append(Integer(value));
        }

        var body = Encoding.UTF8.GetBytes(json.Append('}').ToString());
        r.Response.StatusCode = status;
        r.Response.ContentType = "application/problem+json";
        r.Response.ContentLength = body.Length;
        await r.Response.Body.WriteAsync(body, r.Aborted);
    });

    public static DavResult Answer(int status) => DavResult.From(r =>
    {
        r.Response.StatusCode = status;
        r.Response.ContentLength = 0;
        return ValueTask.CompletedTask;
    });
}
