using Davit.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Davit.Uploads.Ietf;

/// <summary>
/// The IETF resumable-upload protocol (draft-ietf-httpbis-resumable-upload) on the store's upload sessions. A PUT of
/// a file, or a POST to a folder, with Upload-Complete creates an upload (<see cref="IetfCreateHandler"/>); its upload
/// resource is the URL of the file with <c>?upload=&lt;id&gt;</c> (<see cref="UploadUrl"/>), which takes HEAD for the
/// offset (<see cref="IetfOffsetHandler"/>), PATCH to append (<see cref="IetfAppendHandler"/>) and DELETE to cancel
/// (<see cref="IetfCancelHandler"/>).
/// </summary>
/// <remarks>
/// The draft wants a 104 (Upload Resumption Supported) interim response with the upload's Location as soon as a
/// creation request arrives. ASP.NET Core (through .NET 10) has no way for an application to send an informational
/// response other than Kestrel's own 100 Continue, so none is sent: a client learns the upload resource from the 201
/// of a creation with <c>Upload-Complete: ?0</c> (the draft's "careful" creation), which every client can use.
/// </remarks>
internal sealed class IetfProtocol(IOptions<Hosting.DavOptions> options) : IRequestProtocol
{
    private readonly IetfCreateHandler create = new();
    private readonly IetfOffsetHandler offset = new();
    private readonly IetfAppendHandler append = new();
    private readonly IetfCancelHandler cancel = new();
    private readonly UploadMethodNotAllowedHandler notAllowed = new();

    public IMethodHandler? TryGetHandler(DavRequest request)
    {
        var http = request.Request;
        if (!options.Value.EnableIetfUploads || request.SessionStore is null || HttpMethods.IsOptions(http.Method))
        {
            return null;
        }

        if (UploadUrl.Names(http, IetfHeaders.QueryParameter))
        {
            UploadResponse.Start(request);
            return http.Method switch
            {
                "HEAD" => offset,
                "PATCH" => append,
                "DELETE" => cancel,
                _ => notAllowed,
            };
        }

        if (IetfHeaders.ReadBoolean(http, IetfHeaders.Complete) is null || !(HttpMethods.IsPut(http.Method) || HttpMethods.IsPost(http.Method)))
        {
            return null;
        }

        UploadResponse.Start(request);
        return create;
    }
}
