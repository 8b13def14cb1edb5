using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>
/// The URL of an upload resource (tus's upload URL, the IETF draft's upload resource): the URL of the file the upload
/// becomes, with the session's id in the query (<c>/dav/docs/report.pdf?tus=3f2a...</c>). Sessions are kept per path,
/// so the path finds the session and the id proves it is this upload and not a later one for the same name. No user
/// file can collide with it (WebDAV names have no query), and it is built like every href the engine sends: below the
/// mount prefix and the request's path base, with the scheme and host the request arrived with, which ASP.NET Core's
/// forwarded-headers middleware sets from <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> behind a proxy.
/// </summary>
internal static class UploadUrl
{
    /// <summary>The absolute URL of <paramref name="session"/>'s upload resource, with <paramref name="parameter"/>
    /// naming the protocol.</summary>
    public static string For(DavRequest request, UploadSession session, string parameter)
    {
        var http = request.Request;
        return $"{http.Scheme}://{http.Host.ToUriComponent()}{request.Href(session.Path, false)}?{parameter}={session.Id}";
    }

    /// <summary>True when the request's query names an upload with <paramref name="parameter"/>.</summary>
    public static bool Names(HttpRequest request, string parameter) => request.Query.ContainsKey(parameter);

    /// <summary>The session id in the query, or null when it is missing or not one a store would choose.</summary>
    public static string? IdOf(HttpRequest request, string parameter)
    {
        var values = request.Query[parameter];
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= 128 } id)
        {
            return null;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return null;
            }
        }

        return id;
    }

    /// <summary>The unexpired session the request's URL names, or null (unknown, expired, finished, cancelled, or
    /// replaced by a later upload to the same file).</summary>
    public static async ValueTask<UploadSession?> FindAsync(DavRequest request, string parameter)
    {
        var id = IdOf(request.Request, parameter);
        var sessions = request.Sessions;
        if (id is null || sessions is null)
        {
            return null;
        }

        var session = await sessions.GetAsync(request.Path, request.Now, request.Aborted);
        return session?.Id == id ? session : null;
    }
}
