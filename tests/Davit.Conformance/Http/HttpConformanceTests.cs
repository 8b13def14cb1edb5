using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance.Http;

/// <summary>
/// The engine over HTTP, against a real server, for one store. Every store subclasses this once (at the root, and
/// where it matters under a prefix) and must pass it unchanged. Assertions are what a client sees: statuses,
/// headers, body bytes.
/// </summary>
public abstract partial class HttpConformanceTests : IAsyncLifetime
{
    private static readonly XNamespace D = Dav.D;
    private static readonly XNamespace Z = "http://example.com/ns/";

    protected DavTestServer Server { get; set; } = null!;

    protected HttpClient Client => Server.Client;

    /// <summary>A fresh, empty store for one test.</summary>
    protected abstract IDavStore CreateStore();

    /// <summary>Where the store is mounted.</summary>
    protected virtual string Prefix => "/";

    /// <summary>Engine options for this run of the suite.</summary>
    protected virtual void ConfigureEngine(Davit.Hosting.DavOptions options)
    {
    }

    public async Task InitializeAsync() => Server = await DavTestServer.StartAsync(CreateStore(), Prefix, ConfigureEngine);

    public virtual async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The href the server must use for an encoded relative path.</summary>
    protected string Href(string encodedRelative) => Server.Prefix + "/" + encodedRelative;

    [Fact]
    public async Task Options_Advertises_Class_1_And_2_MsAuthorVia_And_Allow_Derived_From_The_Resource()
    {
        (await Client.PutAsync("f.txt", "x")).EnsureSuccessStatusCode();
        var onRoot = await Client.SendAsync("OPTIONS", "");
        Assert.Equal(HttpStatusCode.OK, onRoot.StatusCode);
        var classes = string.Join(",", onRoot.Headers.GetValues("DAV")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("1", classes);
        Assert.Contains("2", classes);
        Assert.Equal("DAV", onRoot.Headers.GetValues("MS-Author-Via").Single());
        var rootAllow = onRoot.Content.Headers.Allow;
        Assert.Contains("PROPFIND", rootAllow);
        Assert.DoesNotContain("PUT", rootAllow);

        var onFile = await Client.SendAsync("OPTIONS", "f.txt");
        Assert.Contains("PUT", onFile.Content.Headers.Allow);
        Assert.Contains("LOCK", onFile.Content.Headers.Allow);
        Assert.Contains("UNLOCK", onFile.Content.Headers.Allow);
        var onMissing = await Client.SendAsync("OPTIONS", "missing");
        Assert.Equal(["OPTIONS", "PUT", "MKCOL", "LOCK"], onMissing.Content.Headers.Allow);
    }

    [Fact]
    public async Task Put_New_File_Returns_201_And_Get_Returns_Same_Bytes_And_Headers()
    {
        var bytes = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);
        var put = await Client.PutAsync("data.bin", bytes);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var etag = put.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        var get = await Client.GetAsync("data.bin");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, get.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(etag, get.Headers.ETag);
        Assert.NotNull(get.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Content_Type_Comes_From_The_Extension()
    {
        await Client.PutAsync("page.html", "<p>hi</p>");
        await Client.PutAsync("notes.txt", "hi");
        await Client.PutAsync("noext", "hi");
        Assert.Equal("text/html", (await Client.GetAsync("page.html")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/plain", (await Client.GetAsync("notes.txt")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/octet-stream", (await Client.GetAsync("noext")).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Put_Replacing_A_File_Returns_204_And_A_New_ETag_Even_For_Same_Length()
    {
        var first = await Client.PutAsync("a.txt", "aaaa");
        var second = await Client.PutAsync("a.txt", "bbbb");
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        var get = await Client.GetAsync("a.txt");
        Assert.Equal("bbbb", await get.Content.ReadAsStringAsync());
        Assert.Equal(second.Headers.ETag, get.Headers.ETag);
    }

    [Fact]
    public async Task Put_With_A_Chunked_Body_Stores_All_Bytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var request = Dav.Request("PUT", "chunked.bin");
        request.Content = new StreamContent(new NonSeekableStream(bytes));
        request.Headers.TransferEncodingChunked = true;
        var put = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("chunked.bin"));
    }

    [Fact]
    public async Task Put_Of_An_Empty_Body_Creates_An_Empty_File()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("empty", [])).StatusCode);
        var get = await Client.GetAsync("empty");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_To_A_Missing_Parent_Returns_409_And_Creates_Nothing()
    {
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PutAsync("nope/file.txt", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("nope/")).StatusCode);
    }

    [Fact]
    public async Task Put_On_A_Folder_Returns_405()
    {
        await Client.SendAsync("MKCOL", "dir/");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.PutAsync("dir/", "x")).StatusCode);
    }

    [Fact]
    public async Task Put_With_Overwrite_F_On_An_Existing_File_Returns_412()
    {
        await Client.PutAsync("once.txt", "one");
        var put = await Client.PutAsync("once.txt", Encoding.UTF8.GetBytes("two"), ("Overwrite", "F"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, put.StatusCode);
        Assert.Equal("one", await Client.GetStringAsync("once.txt"));
    }

    [Fact]
    public async Task Put_If_Modified_Since_Is_Ignored()
    {
        // IT Hit's browser client sends a 1997 If-Modified-Since on every PUT.
        var put = await Client.PutAsync("ims.txt", Encoding.UTF8.GetBytes("x"), ("If-Modified-Since", "Mon, 26 Jul 1997 05:00:00 GMT"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task Head_Returns_The_Headers_Of_Get_Without_A_Body()
    {
        await Client.PutAsync("h.txt", "hello");
        var head = await Client.SendAsync("HEAD", "h.txt");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(5, head.Content.Headers.ContentLength);
        Assert.NotNull(head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_On_A_Folder_Returns_200()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync("HEAD", "")).StatusCode);
    }

    [Theory]
    [InlineData("page.html", true)]
    [InlineData("drawing.svg", true)]
    [InlineData("feed.xml", true)]
    [InlineData("notes.txt", false)]
    [InlineData("photo.png", false)]
    public async Task Stored_Files_Are_Never_Sniffed_And_Documents_That_Can_Run_Script_Are_Sandboxed(string name, bool sandboxed)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync(name, "<html><script>document.title='ran'</script></html>")).StatusCode);

        foreach (var request in new[] { new HttpRequestMessage(HttpMethod.Get, name), new HttpRequestMessage(HttpMethod.Head, name), RangeRequest(name) })
        {
            using var response = await Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{request.Method} {name}: {response.StatusCode}");
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(sandboxed ? ["sandbox"] : null, response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp : null);
        }

        static HttpRequestMessage RangeRequest(string name)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, name);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 5);
            return request;
        }
    }

    [Fact]
    public async Task Get_Of_A_Missing_File_Returns_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("missing.txt")).StatusCode);
    }

    [Fact]
    public async Task Get_On_A_Folder_Returns_An_Html_Listing_With_Encoded_Links()
    {
        await Client.SendAsync("MKCOL", "sub/");
        await Client.PutAsync("sub/a%20%23b.txt", "x");
        await Client.SendAsync("MKCOL", "sub/inner/");
        var get = await Client.GetAsync("sub/");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("text/html", get.Content.Headers.ContentType?.MediaType);
        var html = await get.Content.ReadAsStringAsync();
        Assert.Contains($"href=\"{Href("sub/a%20%23b.txt")}\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Href("sub/inner/")}\"", html, StringComparison.Ordinal);
        Assert.Contains("a #b.txt", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Folder_Without_Its_Trailing_Slash_Still_Works_And_Its_Href_Has_One()
    {
        await Client.SendAsync("MKCOL", "coll");
        var propfind = await Client.PropfindAsync("coll", "0");
        Assert.Equal([Href("coll/")], Dav.Hrefs(await Dav.MultistatusAsync(propfind)));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("coll")).StatusCode);
    }

    [Fact]
    public async Task Mkcol_Returns_201_Then_405_And_409_Without_Parent()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", "new/")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.SendAsync("MKCOL", "new/")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.SendAsync("MKCOL", "no/parent/")).StatusCode);
        await Client.PutAsync("file", "x");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.SendAsync("MKCOL", "file")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.SendAsync("MKCOL", "file/child/")).StatusCode);
    }

    [Fact]
    public async Task Mkcol_With_A_Body_Returns_415_And_Creates_Nothing()
    {
        var request = Dav.Request("MKCOL", "withbody/");
        request.Content = new StringContent("<x/>", Encoding.UTF8, "xzy-foo/bar-512");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PropfindAsync("withbody/", "0")).StatusCode);
    }

    [Fact]
    public async Task Delete_Removes_A_File_And_A_Whole_Tree()
    {
        await Client.SendAsync("MKCOL", "t/");
        await Client.SendAsync("MKCOL", "t/u/");
        await Client.PutAsync("t/u/f.txt", "x");
        await Client.PutAsync("t/g.txt", "y");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("t/g.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("t/g.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("t/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("t/u/f.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PropfindAsync("t/", "0")).StatusCode);
    }

    [Fact]
    public async Task Delete_Of_Nothing_Returns_404_And_Of_A_Folder_With_Depth_0_Returns_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("nothing")).StatusCode);
        await Client.SendAsync("MKCOL", "keep/");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("DELETE", "keep/", null, ("Depth", "0"))).StatusCode);
        Assert.Equal(HttpStatusCode.MultiStatus, (await Client.PropfindAsync("keep/", "0")).StatusCode);
    }

    [Fact]
    public async Task Delete_Of_The_Root_Is_Refused_And_Keeps_Everything()
    {
        await Client.PutAsync("stay.txt", "x");
        var delete = await Client.DeleteAsync("");
        Assert.True((int)delete.StatusCode is 403 or 405, $"DELETE / answered {(int)delete.StatusCode}");
        Assert.Equal("x", await Client.GetStringAsync("stay.txt"));
    }

    private static string CountString(int n) => n.ToString(CultureInfo.InvariantCulture);

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
