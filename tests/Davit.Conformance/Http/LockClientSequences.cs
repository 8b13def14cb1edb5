using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance.Http;

/// <summary>
/// Class 2 locking as real clients use it, replayed over HTTP against a real server for one store: the request
/// sequences of MS Office, the Windows mini-redirector, macOS Finder and davfs2 (methods, headers and bodies as those
/// clients send them), and the locking rules they depend on. Every store subclasses this once and must pass it
/// unchanged. A second client (<see cref="Other"/>, which never knows a token) checks that a lock really keeps
/// others out while it is held, and lets them in once it is gone.
/// </summary>
public abstract partial class LockClientSequenceTests : IAsyncLifetime
{
    protected static readonly XNamespace D = Dav.D;

    /// <summary>The namespace of the Windows mini-redirector's Win32* properties.</summary>
    protected static readonly XNamespace Ms = "urn:schemas-microsoft-com:";

    protected const string OfficeAgent = "Microsoft Office Word 2014";
    protected const string OfficeDiscoveryAgent = "Microsoft Office Protocol Discovery";
    protected const string MiniRedirAgent = "Microsoft-WebDAV-MiniRedir/10.0.19045";
    protected const string FinderAgent = "WebDAVFS/3.0.0 (03008000) Darwin/22.1.0 (x86_64)";
    protected const string Davfs2Agent = "davfs2/1.7.0 neon/0.33.0";

    private const string LockDiscoveryPropfind =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>";

    private static readonly Regex LockTokenHeader = new(
        "^<(?<token>urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})>$",
        RegexOptions.CultureInvariant);

    private static readonly Regex SecondsTimeout = new("^Second-(?<n>[0-9]+)$", RegexOptions.CultureInvariant);

    private HttpClient? other;

    protected DavTestServer Server { get; set; } = null!;

    /// <summary>The client replaying a sequence (it takes the locks and holds the tokens).</summary>
    protected HttpClient Client => Server.Client;

    /// <summary>Another client on its own connections, which never submits a token.</summary>
    protected HttpClient Other => other ??= new HttpClient { BaseAddress = Server.Root, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A fresh, empty store for one test.</summary>
    protected abstract IDavStore CreateStore();

    /// <summary>Where the store is mounted.</summary>
    protected virtual string Prefix => "/";

    /// <summary>Engine options for this run of the suite.</summary>
    protected virtual void ConfigureEngine(Davit.Hosting.DavOptions options)
    {
    }

    /// <summary>The engine options this run uses (defaults plus <see cref="ConfigureEngine"/>).</summary>
    protected Davit.Hosting.DavOptions EngineOptions { get; private set; } = new();

    public virtual async Task InitializeAsync()
    {
        EngineOptions = new Davit.Hosting.DavOptions();
        ConfigureEngine(EngineOptions);
        Server = await DavTestServer.StartAsync(CreateStore(), Prefix, ConfigureEngine);
    }

    public virtual async Task DisposeAsync()
    {
        other?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>The href the server must use for an encoded relative path.</summary>
    protected string Href(string encodedRelative) => Server.Prefix + "/" + encodedRelative;

    /// <summary>A request exactly as a client builds it: the body (when given) with its own media type, and every
    /// header as written, without HttpClient's validation.</summary>
    protected static HttpRequestMessage Request(string method, string url, string? body = null, string contentType = "text/xml; charset=\"utf-8\"", params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"cannot send header {name}");
        }

        return request;
    }

    protected static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, string? body = null, params (string Name, string Value)[] headers) =>
        await client.SendAsync(Request(method, url, body, headers: headers));

    protected static async Task<HttpResponseMessage> PutBytesAsync(HttpClient client, string url, byte[] bytes, params (string Name, string Value)[] headers)
    {
        var request = Request("PUT", url, headers: headers);
        request.Content = new ByteArrayContent(bytes);
        return await client.SendAsync(request);
    }

    /// <summary>A lockinfo body as most clients write it (DAV: bound to the D prefix).</summary>
    protected static string LockInfo(string scope, string ownerXml = "<D:owner><D:href>http://example.org/~user</D:href></D:owner>") =>
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:" + scope + "/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype>" + ownerXml + "</D:lockinfo>";

    /// <summary>The DAV:owner element of a lockinfo body, as the server must give it back.</summary>
    protected static XElement? OwnerOf(string lockInfoBody) =>
        XDocument.Parse(lockInfoBody, LoadOptions.PreserveWhitespace).Root!.Element(D + "owner");

    /// <summary>Takes an exclusive (or <paramref name="scope"/>) write lock for the test's own setup and returns its
    /// token, asserting only that the server granted it.</summary>
    protected async Task<string> LockAsync(string url, string depth = "0", string scope = "exclusive", int timeoutSeconds = 3600)
    {
        var response = await SendAsync(Client, "LOCK", url, LockInfo(scope), ("Depth", depth), ("Timeout", "Second-" + timeoutSeconds.ToString(CultureInfo.InvariantCulture)));
        Assert.True((int)response.StatusCode is 200 or 201, $"LOCK {url} answered {(int)response.StatusCode}");
        return LockTokenOf(response);
    }

    /// <summary>The token of a Lock-Token response header, which must read &lt;urn:uuid:…&gt;.</summary>
    protected static string LockTokenOf(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Lock-Token", out var values), $"{(int)response.StatusCode} without a Lock-Token header");
        var value = Assert.Single(values);
        var match = LockTokenHeader.Match(value);
        Assert.True(match.Success, $"Lock-Token: {value}");
        return match.Groups["token"].Value;
    }

    /// <summary>The single activelock of a LOCK response body (&lt;D:prop&gt;&lt;D:lockdiscovery&gt;…).</summary>
    protected static async Task<XElement> ActiveLockOfAsync(HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType is "application/xml" or "text/xml", $"LOCK answered with media type {mediaType}");
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync(), LoadOptions.PreserveWhitespace);
        Assert.Equal(D + "prop", body.Root!.Name);
        var discovery = body.Root.Element(D + "lockdiscovery");
        Assert.NotNull(discovery);
        return Assert.Single(discovery.Elements(D + "activelock"));
    }

    /// <summary>
    /// Checks one DAV:activelock: scope, write type, depth, the owner exactly as sent (the same XML infoset; null:
    /// none sent, none shown), the granted timeout (<see cref="AssertTimeout"/>; null: Infinite requested), the
    /// token, and the lock root (absent with <see cref="Davit.Hosting.DavOptions.OmitLockRoot"/>).
    /// </summary>
    protected void AssertActiveLock(XElement activeLock, string scope, string depth, XElement? owner, int? requestedSeconds, string token, string rootRelative)
    {
        var scopeElement = activeLock.Element(D + "lockscope");
        Assert.NotNull(scopeElement);
        Assert.Equal(D + scope, Assert.Single(scopeElement.Elements()).Name);
        var type = activeLock.Element(D + "locktype");
        Assert.NotNull(type);
        Assert.Equal(D + "write", Assert.Single(type.Elements()).Name);
        Assert.Equal(depth, activeLock.Element(D + "depth")?.Value);
        if (owner is null)
        {
            Assert.Null(activeLock.Element(D + "owner"));
        }
        else
        {
            var shown = activeLock.Element(D + "owner");
            Assert.NotNull(shown);
            Assert.Equal(Infoset(owner), Infoset(shown));
        }

        AssertTimeout(activeLock.Element(D + "timeout")?.Value, requestedSeconds);
        Assert.Equal(token, activeLock.Element(D + "locktoken")?.Element(D + "href")?.Value);
        if (EngineOptions.OmitLockRoot)
        {
            Assert.Null(activeLock.Element(D + "lockroot"));
        }
        else
        {
            AssertHref(rootRelative, activeLock.Element(D + "lockroot")?.Element(D + "href")?.Value);
        }
    }

    /// <summary>
    /// A timeout is what the engine grants for the request: the requested seconds (null: Infinite) capped at
    /// <see cref="Davit.Hosting.DavOptions.MaxLockTimeout"/>, as Second-N (N may have counted down by a few seconds
    /// since the grant), or Infinite when that is granted.
    /// </summary>
    protected void AssertTimeout(string? timeout, int? requestedSeconds)
    {
        Assert.NotNull(timeout);
        var max = EngineOptions.MaxLockTimeout;
        var requested = requestedSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
        var granted = max == Timeout.InfiniteTimeSpan ? requested : requested == Timeout.InfiniteTimeSpan || requested > max ? max : requested;
        if (granted == Timeout.InfiniteTimeSpan)
        {
            Assert.Equal("Infinite", timeout);
            return;
        }

        var match = SecondsTimeout.Match(timeout);
        Assert.True(match.Success, $"timeout {timeout}, expected Second-{granted.TotalSeconds}");
        var shown = long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var expected = (long)granted.TotalSeconds;
        Assert.InRange(shown, Math.Max(1, expected - 30), expected);
    }

    /// <summary>An href names <paramref name="encodedRelative"/>: the absolute path, or the absolute URL.</summary>
    protected void AssertHref(string encodedRelative, string? href)
    {
        Assert.NotNull(href);
        var path = Href(encodedRelative);
        Assert.True(href == path || href == Server.Url(encodedRelative).AbsoluteUri, $"href {href}, expected {path}");
    }

    /// <summary>423 with &lt;D:error&gt;&lt;D:lock-token-submitted&gt;&lt;D:href&gt; naming the lock root.</summary>
    protected async Task AssertLockedAsync(HttpResponseMessage response, string lockRootRelative)
    {
        Assert.Equal(423, (int)response.StatusCode);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType is "application/xml" or "text/xml", $"423 with media type {mediaType}");
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(D + "error", error.Root!.Name);
        var submitted = error.Root.Element(D + "lock-token-submitted");
        Assert.NotNull(submitted);
        AssertHref(lockRootRelative, Assert.Single(submitted.Elements(D + "href")).Value);
    }

    /// <summary>The DAV:error body of a refused request names <paramref name="condition"/>.</summary>
    protected static async Task AssertErrorAsync(HttpResponseMessage response, int status, string condition)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(D + "error", error.Root!.Name);
        Assert.NotNull(error.Root.Element(D + condition));
    }

    /// <summary>The activelocks PROPFIND shows for <paramref name="encodedRelative"/> (a 200 lockdiscovery, maybe empty).</summary>
    protected async Task<List<XElement>> LockDiscoveryAsync(HttpClient client, string encodedRelative)
    {
        var ms = await Dav.MultistatusAsync(await client.SendAsync(Request("PROPFIND", encodedRelative, LockDiscoveryPropfind, headers: ("Depth", "0"))));
        var discovery = Dav.Property(ms, Href(encodedRelative), D + "lockdiscovery");
        Assert.NotNull(discovery);
        Assert.Equal("HTTP/1.1 200 OK", discovery.Value.Status);
        return [.. discovery.Value.Property.Elements(D + "activelock")];
    }

    /// <summary>The PROPPATCH the Windows mini-redirector sends after creating or writing a file or folder.</summary>
    protected static string Win32Proppatch(string created, string accessed, string modified, string attributes) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:schemas-microsoft-com:\"><D:set><D:prop>"
        + "<Z:Win32CreationTime>" + created + "</Z:Win32CreationTime>"
        + "<Z:Win32LastAccessTime>" + accessed + "</Z:Win32LastAccessTime>"
        + "<Z:Win32LastModifiedTime>" + modified + "</Z:Win32LastModifiedTime>"
        + "<Z:Win32FileAttributes>" + attributes + "</Z:Win32FileAttributes>"
        + "</D:prop></D:set></D:propertyupdate>";

    /// <summary>207, and 200 for each of the four Win32* properties of <paramref name="encodedRelative"/>.</summary>
    protected async Task AssertWin32AcceptedAsync(HttpResponseMessage response, string encodedRelative)
    {
        var ms = await Dav.MultistatusAsync(response);
        Assert.Equal([Href(encodedRelative)], Dav.Hrefs(ms));
        foreach (var name in new[] { "Win32CreationTime", "Win32LastAccessTime", "Win32LastModifiedTime", "Win32FileAttributes" })
        {
            var property = Dav.Property(ms, Href(encodedRelative), Ms + name);
            Assert.True(property is not null, $"{name} missing from the PROPPATCH answer");
            Assert.True(property.Value.Status == "HTTP/1.1 200 OK", $"{name}: {property.Value.Status}");
        }
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// An XML element as a comparable string of its infoset: expanded names, attributes other than namespace
    /// declarations, and every character of text (whitespace included), so prefixes may differ but nothing else.
    /// </summary>
    protected static string Infoset(XElement element)
    {
        var text = new StringBuilder();
        Write(element);
        return text.ToString();

        void Write(XElement e)
        {
            text.Append('<').Append(e.Name.ToString());
            foreach (var attribute in e.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
            {
                text.Append(' ').Append(attribute.Name.ToString()).Append("=\"").Append(attribute.Value).Append('"');
            }

            text.Append('>');
            foreach (var node in e.Nodes())
            {
                switch (node)
                {
                    case XElement child:
                        Write(child);
                        break;
                    case XText characters:
                        text.Append(characters.Value.Replace("<", "&lt;", StringComparison.Ordinal));
                        break;
                }
            }

            text.Append("</").Append(e.Name.ToString()).Append('>');
        }
    }

    /// <summary>A body HttpClient cannot measure, so it goes out chunked, as Finder sends its uploads.</summary>
    protected sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
