using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Davit.Conformance.Http;

/// <summary>Small helpers for WebDAV requests and 207 bodies in tests.</summary>
public static class Dav
{
    public static readonly XNamespace D = "DAV:";

    public static HttpRequestMessage Request(string method, string url, string? xml = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (xml is not null)
        {
            request.Content = new StringContent(xml, Encoding.UTF8, "application/xml");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, string method, string url, string? xml = null, params (string Name, string Value)[] headers) =>
        await client.SendAsync(Request(method, url, xml, headers));

    public static async Task<HttpResponseMessage> PutAsync(this HttpClient client, string url, byte[] bytes, params (string Name, string Value)[] headers)
    {
        var request = Request("PUT", url, null, headers);
        request.Content = new ByteArrayContent(bytes);
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string url, string text) =>
        client.PutAsync(url, Encoding.UTF8.GetBytes(text));

    public static Task<HttpResponseMessage> PropfindAsync(this HttpClient client, string url, string depth, string? xml = null) =>
        client.SendAsync("PROPFIND", url, xml, ("Depth", depth));

    /// <summary>Parses a 207 body and checks its media type is XML.</summary>
    public static async Task<XDocument> MultistatusAsync(HttpResponseMessage response)
    {
        Assert.Equal(207, (int)response.StatusCode);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType is "application/xml" or "text/xml", $"207 with media type {mediaType}");
        var body = await response.Content.ReadAsStringAsync();
        return XDocument.Parse(body, LoadOptions.PreserveWhitespace);
    }

    /// <summary>The hrefs of a multistatus, in order.</summary>
    public static List<string> Hrefs(XDocument multistatus) =>
        multistatus.Root!.Elements(D + "response").Select(r => r.Element(D + "href")!.Value).ToList();

    /// <summary>The property element <paramref name="name"/> in the response for <paramref name="href"/>, with the
    /// status of its propstat ("HTTP/1.1 200 OK"), or null when absent.</summary>
    public static (XElement Property, string Status)? Property(XDocument multistatus, string href, XName name)
    {
        var response = multistatus.Root!.Elements(D + "response").Single(r => r.Element(D + "href")!.Value == href);
        foreach (var propstat in response.Elements(D + "propstat"))
        {
            var property = propstat.Element(D + "prop")?.Element(name);
            if (property is not null)
            {
                return (property, propstat.Element(D + "status")!.Value);
            }
        }

        return null;
    }

    public static string Xml(string body) => "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + body;

    public static MediaTypeHeaderValue XmlType => new("application/xml");
}
