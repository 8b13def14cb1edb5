using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>
/// The protocol headers of one tus or IETF answer, set on the response just before it starts, whatever wrote it: the
/// handler's result, or the engine's answer to a failure (which clears the headers set before it). So a 409 still
/// carries Upload-Offset, a 412 Tus-Version, a 500 after creation the upload's Location, and every answer to an
/// allowed origin its CORS headers.
/// </summary>
internal sealed class UploadResponse
{
    private readonly Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(int Status, string Name, string Value)> byStatus = [];

    private UploadResponse()
    {
    }

    /// <summary>Starts the headers of <paramref name="request"/>'s answer (once; later calls return the same).</summary>
    public static UploadResponse Start(DavRequest request)
    {
        var http = request.Http;
        if (http.Items[typeof(UploadResponse)] is UploadResponse started)
        {
            return started;
        }

        var response = new UploadResponse();
        http.Items[typeof(UploadResponse)] = response;
        var options = request.Options;
        http.Response.OnStarting(() =>
        {
            response.Apply(http.Response);
            Cors.AddResponseHeaders(options, http);
            return Task.CompletedTask;
        });
        return response;
    }

    /// <summary>The headers of the request's answer, started by its protocol.</summary>
    public static UploadResponse Of(DavRequest request) => Start(request);

    /// <summary>Sends <paramref name="name"/> with every answer.</summary>
    public UploadResponse Set(string name, string value)
    {
        headers[name] = value;
        return this;
    }

    /// <summary>Sends <paramref name="name"/> only with an answer of <paramref name="status"/>.</summary>
    public UploadResponse SetFor(int status, string name, string value)
    {
        byStatus.Add((status, name, value));
        return this;
    }

    private void Apply(HttpResponse response)
    {
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        foreach (var (status, name, value) in byStatus)
        {
            if (response.StatusCode == status)
            {
                response.Headers[name] = value;
            }
        }
    }
}
