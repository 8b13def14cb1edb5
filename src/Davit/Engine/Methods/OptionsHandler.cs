using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// OPTIONS (RFC 9110 §9.3.7, RFC 4918 §10.1): the DAV compliance classes and the methods this resource allows,
/// derived from what the item is and what its store can do.
/// </summary>
internal sealed class OptionsHandler : IReadHandler
{
    public ValueTask HandleAsync(DavRequest request)
    {
        var headers = request.Response.Headers;
        Advertise(request.Response, request.Locks is not null, request.Sessions is not null);
        headers.Allow = string.Join(", ", AllowedMethods(request.Item, request.Home, request.Locks is not null, request.Sessions is not null));
        if (request.Sessions is not null)
        {
            Uploads.ResumableOptions.Advertise(request);
        }

        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
        return ValueTask.CompletedTask;
    }

    /// <summary>The DAV compliance classes and MS-Author-Via, as every OPTIONS answer carries them.</summary>
    internal static void Advertise(HttpResponse response, bool locking, bool uploads)
    {
        var headers = response.Headers;
        // "resumable-upload" is how IT Hit's clients find Content-Range PUT and the upload-progress REPORT.
        headers["DAV"] = (locking ? "1, 2" : "1") + (uploads ? ", resumable-upload" : string.Empty);
        // Makes MS Office and the Windows mini-redirector treat the server as WebDAV (and edit, not just view).
        headers["MS-Author-Via"] = "DAV";
    }

    internal static IEnumerable<string> AllowedMethods(IHierarchyItem? item, DavPath home, bool locking, bool uploads)
    {
        yield return "OPTIONS";
        if (item is null)
        {
            yield return "PUT";
            yield return "MKCOL";
            if (locking)
            {
                yield return "LOCK";
            }

            yield break;
        }

        yield return "GET";
        yield return "HEAD";
        if (item is IFile)
        {
            yield return "PUT";
        }
        else
        {
            yield return "POST";
        }

        // The root (the user's home folder, for a user confined to one) can be copied from, but neither deleted nor
        // moved (both answer 403).
        var top = item.Path == home;
        if (!top)
        {
            yield return "DELETE";
        }

        yield return "COPY";
        if (!top)
        {
            yield return "MOVE";
        }

        yield return "PROPFIND";
        if (item is IDeadProperties)
        {
            yield return "PROPPATCH";
        }

        if (locking)
        {
            yield return "LOCK";
            yield return "UNLOCK";
        }

        if (uploads)
        {
            yield return "REPORT";
            if (item is IFile)
            {
                yield return "CANCELUPLOAD";
            }
        }
    }
}
