using Davit.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Davit.Uploads.Tus;

/// <summary>
/// tus 1.0 on the store's upload sessions. A POST to a folder with Tus-Resumable creates an upload
/// (<see cref="TusCreateHandler"/>); its upload URL is the URL of the file it becomes with <c>?tus=&lt;id&gt;</c>
/// (<see cref="UploadUrl"/>), which takes HEAD (<see cref="TusHeadHandler"/>), PATCH (<see cref="TusPatchHandler"/>)
/// and DELETE (<see cref="TusDeleteHandler"/>). A POST with <c>X-HTTP-Method-Override</c> is taken as the method it
/// names, for clients behind proxies that pass only GET and POST. OPTIONS advertises the protocol
/// (<see cref="ResumableOptions"/>).
/// </summary>
internal sealed class TusProtocol(IOptions<Hosting.DavOptions> options) : IRequestProtocol
{
    private readonly TusCreateHandler create = new();
    private readonly TusHeadHandler head = new();
    private readonly TusPatchHandler patch = new();
    private readonly TusDeleteHandler delete = new();
    private readonly UploadMethodNotAllowedHandler notAllowed = new();

    public IMethodHandler? TryGetHandler(DavRequest request)
    {
        var http = request.Request;
        if (!options.Value.EnableTus || request.SessionStore is null || HttpMethods.IsOptions(http.Method))
        {
            return null;
        }

        var onUpload = UploadUrl.Names(http, TusHeaders.QueryParameter);
        if (!onUpload && !http.Headers.ContainsKey(TusHeaders.Resumable))
        {
            return null;
        }

        if (HttpMethods.IsPost(http.Method) && http.Headers["X-HTTP-Method-Override"].ToString().Trim().ToUpperInvariant() is ("PATCH" or "DELETE" or "HEAD") and var method)
        {
            // The method the client meant, for every step after this one (access and lock rules). Only tus's own
            // methods: a POST never turns into a WebDAV method this way.
            http.Method = method;
        }

        UploadResponse.Start(request).Set(TusHeaders.Resumable, TusHeaders.Version);
        return (onUpload, http.Method) switch
        {
            (false, "POST") => create,
            (false, _) => null,
            (true, "HEAD") => head,
            (true, "PATCH") => patch,
            (true, "DELETE") => delete,
            _ => notAllowed,
        };
    }
}
