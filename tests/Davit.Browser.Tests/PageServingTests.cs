using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Davit.Conformance.Http;
using Davit.Storage.Memory;

namespace Davit.Browser.Tests;

/// <summary>What the server sends, without a browser: the page to browsers only, its assets, its JSON listing.</summary>
public sealed partial class PageServingTests : IAsyncLifetime
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private DavTestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await DavTestServer.StartAsync(new InMemoryStore());
        await server.Client.SendAsync("MKCOL", "docs/");
        await server.Client.PutAsync("docs/a%20b%231.txt", "hello");
        await server.Client.PutAsync("r%C3%A9sum%C3%A9.pdf", "resume");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task WebDav_Clients_Keep_Getting_The_Plain_Listing_And_Browsers_Get_The_Page()
    {
        foreach (var accept in new[] { "*/*", "text/xml", "" })
        {
            var plain = await GetAsync("", accept);
            var body = await plain.Content.ReadAsStringAsync();
            Assert.Contains("<table>", body, StringComparison.Ordinal);
            Assert.Contains("r%C3%A9sum%C3%A9.pdf", body, StringComparison.Ordinal);
            Assert.DoesNotContain("davit-asset", body, StringComparison.Ordinal);
            Assert.Contains("Accept", plain.Headers.Vary);
        }

        var page = await GetAsync("docs/", BrowserAccept);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<div id=\"davit\" data-root=\"/\" data-folder=\"/docs/\">", html, StringComparison.Ordinal);
        Assert.Matches("<script type=\"module\" src=\"/\\?davit-asset=app\\.[0-9a-f]{10}\\.js\">", html);
        Assert.Contains("Accept", page.Headers.Vary);
        Assert.True(page.Headers.CacheControl?.NoCache);
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);

        // ?plain gives a browser the plain listing, and ?download still downloads.
        Assert.Contains("<table>", await (await GetAsync("docs/?plain", BrowserAccept)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var download = await GetAsync("docs/a%20b%231.txt?download", BrowserAccept);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("hello", await download.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assets_Have_Content_Hashed_Names_A_Year_Of_Caching_And_Compression()
    {
        var html = await (await GetAsync("", BrowserAccept)).Content.ReadAsStringAsync();
        foreach (var url in AssetUrl().Matches(html).Select(m => m.Groups[1].Value))
        {
            var identity = await GetAsync(url, "*/*", "identity");
            Assert.Equal(HttpStatusCode.OK, identity.StatusCode);
            Assert.Empty(identity.Content.Headers.ContentEncoding);
            var bytes = await identity.Content.ReadAsByteArrayAsync();
            // The name carries the content's hash: a new build has new names, so a year of caching is safe.
            var hash = Regex.Match(url, "\\.([0-9a-f]{10})\\.").Groups[1].Value;
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(bytes))[..10]);
            Assert.Equal("public, max-age=31536000, immutable", identity.Headers.CacheControl?.ToString());
            Assert.Contains("Accept-Encoding", identity.Headers.Vary);

            var brotli = await GetAsync(url, "*/*", "gzip, deflate, br");
            Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
            var compressed = await brotli.Content.ReadAsByteArrayAsync();
            Assert.True(compressed.Length < bytes.Length / 2, $"{url}: {compressed.Length} bytes compressed from {bytes.Length}");
            Assert.Equal(bytes, Decompress(new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress)));

            var gzip = await GetAsync(url, "*/*", "gzip");
            Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
            Assert.Equal(bytes, Decompress(new GZipStream(new MemoryStream(await gzip.Content.ReadAsByteArrayAsync()), CompressionMode.Decompress)));

            var again = Dav.Request("GET", url);
            again.Headers.AcceptEncoding.ParseAdd("br");
            again.Headers.IfNoneMatch.Add(brotli.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await server.Client.SendAsync(again)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("?davit-asset=app.0000000000.js", "*/*")).StatusCode);
    }

    [Fact]
    public async Task The_Json_Listing_Names_Every_Member_With_Its_Href()
    {
        var response = await GetAsync("docs/?davit-listing", "*/*");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/docs/", json.RootElement.GetProperty("href").GetString());
        var entry = Assert.Single(json.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("a b#1.txt", entry.GetProperty("name").GetString());
        Assert.Equal("/docs/a%20b%231.txt", entry.GetProperty("href").GetString());
        Assert.False(entry.GetProperty("folder").GetBoolean());
        Assert.Equal(5, entry.GetProperty("size").GetInt64());
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(entry.GetProperty("modified").GetInt64()), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Under_A_Prefix_The_Page_And_Its_Assets_Live_Below_It()
    {
        await using var prefixed = await DavTestServer.StartAsync(new InMemoryStore(), "/dav");
        var request = Dav.Request("GET", "/dav/");
        request.Headers.Accept.ParseAdd(BrowserAccept);
        var html = await (await prefixed.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("data-root=\"/dav/\" data-folder=\"/dav/\"", html, StringComparison.Ordinal);
        var asset = AssetUrl().Matches(html).Select(m => m.Groups[1].Value).First();
        Assert.StartsWith("/dav/?davit-asset=", asset, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await prefixed.Client.GetAsync(asset)).StatusCode);
    }

    [Fact]
    public async Task With_The_Browser_Page_Turned_Off_Browsers_Get_The_Plain_Listing()
    {
        await using var off = await DavTestServer.StartAsync(new InMemoryStore(), configure: o => o.BrowserPage = false);
        var request = Dav.Request("GET", "");
        request.Headers.Accept.ParseAdd(BrowserAccept);
        var body = await (await off.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<table>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("davit-asset", body, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string accept, string? acceptEncoding = null)
    {
        var request = Dav.Request("GET", url);
        if (accept.Length > 0)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }

        return await server.Client.SendAsync(request);
    }

    private static byte[] Decompress(Stream stream)
    {
        using var output = new MemoryStream();
        using (stream)
        {
            stream.CopyTo(output);
        }

        return output.ToArray();
    }

    [GeneratedRegex("(?:src|href)=\"(/[^\"]*\\?davit-asset=[^\"]+)\"")]
    private static partial Regex AssetUrl();
}
