using System.Net;
using System.Net.Http.Headers;
using Davit.Authorization;
using Davit.Conformance.Http;

namespace Davit.Tests.Authorization;

/// <summary>The engine asks the authorizer before every handler: a denied request gets 403 (or a challenge when
/// anonymous), and nothing is changed.</summary>
public sealed class AuthorizerTests
{
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";
    private const string PropertyBody = "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x:note xmlns:x=\"urn:example\">hi</x:note></D:prop></D:set></D:propertyupdate>";

    [Fact]
    public async Task A_Read_Only_User_Gets_403_On_Every_Write_Method_And_Nothing_Changes()
    {
        await using var server = await AuthorizationTestServer.StartAsync(RuleAuthorizer.ReadOnlyExcept("writer"));
        await server.SeedAsync("doc.txt", "v1");
        await server.SeedAsync("folder/inner.txt", "in");
        var locked = await server.SendAsync("writer", "LOCK", "folder/inner.txt", LockBody);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var token = locked.Headers.GetValues("Lock-Token").Single();

        var form = new MultipartFormDataContent { { new ByteArrayContent("posted"u8.ToArray()), "file", "posted.txt" } };
        var post = Dav.Request("POST", "folder/");
        post.Headers.Add("X-User", "reader");
        post.Content = form;
        var segment = Dav.Request("PUT", "big.bin", null, ("X-User", "reader"));
        segment.Content = new ByteArrayContent(new byte[10]);
        segment.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, 9, 100);

        var statuses = new Dictionary<string, HttpStatusCode>
        {
            ["PUT existing"] = (await server.SendAsync("reader", "PUT", "doc.txt", "v2")).StatusCode,
            ["PUT new"] = (await server.SendAsync("reader", "PUT", "new.txt", "new")).StatusCode,
            ["PUT segment"] = (await server.Server.Client.SendAsync(segment)).StatusCode,
            ["POST"] = (await server.Server.Client.SendAsync(post)).StatusCode,
            ["DELETE file"] = (await server.SendAsync("reader", "DELETE", "doc.txt")).StatusCode,
            ["DELETE folder"] = (await server.SendAsync("reader", "DELETE", "folder/")).StatusCode,
            ["MKCOL"] = (await server.SendAsync("reader", "MKCOL", "newdir")).StatusCode,
            ["COPY"] = (await server.SendAsync("reader", "COPY", "doc.txt", null, ("Destination", "/copy.txt"))).StatusCode,
            ["COPY over"] = (await server.SendAsync("reader", "COPY", "doc.txt", null, ("Destination", "/folder/inner.txt"))).StatusCode,
            ["MOVE"] = (await server.SendAsync("reader", "MOVE", "doc.txt", null, ("Destination", "/moved.txt"))).StatusCode,
            ["PROPPATCH"] = (await server.SendAsync("reader", "PROPPATCH", "doc.txt", PropertyBody)).StatusCode,
            ["LOCK"] = (await server.SendAsync("reader", "LOCK", "doc.txt", LockBody)).StatusCode,
            ["LOCK new"] = (await server.SendAsync("reader", "LOCK", "locked-new.txt", LockBody)).StatusCode,
            ["UNLOCK"] = (await server.SendAsync("reader", "UNLOCK", "folder/inner.txt", null, ("Lock-Token", token))).StatusCode,
            ["CANCELUPLOAD"] = (await server.SendAsync("reader", "CANCELUPLOAD", "doc.txt")).StatusCode,
        };

        Assert.All(statuses, s => Assert.True(s.Value == HttpStatusCode.Forbidden, $"{s.Key}: {s.Value}"));
        Assert.Equal("v1", await server.ReadAsync("doc.txt"));
        Assert.Equal("in", await server.ReadAsync("folder/inner.txt"));
        foreach (var absent in new[] { "new.txt", "big.bin", "folder/posted.txt", "newdir", "copy.txt", "moved.txt", "locked-new.txt" })
        {
            Assert.Null(await server.GetAsync(absent));
        }

        var props = await server.SendAsync("writer", "PROPFIND", "doc.txt", null, ("Depth", "0"));
        Assert.DoesNotContain("urn:example", await props.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)423, (await server.SendAsync("writer", "PUT", "folder/inner.txt", "no token")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync("writer", "UNLOCK", "folder/inner.txt", null, ("Lock-Token", token))).StatusCode);

        // Reading is still allowed.
        Assert.Equal("v1", await (await server.SendAsync("reader", "GET", "doc.txt")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_Denied_Path_Gets_403_Whether_Or_Not_Something_Is_There()
    {
        var authorizer = new RuleAuthorizer(r => !r.Path.ToString().StartsWith("private", StringComparison.Ordinal));
        await using var server = await AuthorizationTestServer.StartAsync(authorizer);
        await server.SeedAsync("private/a.txt", "a");

        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "GET", "private/a.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "GET", "private/missing.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "PROPFIND", "private/", null, ("Depth", "0"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "OPTIONS", "private/a.txt")).StatusCode);

        // Even a precondition that would fail is not evaluated first.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "GET", "private/a.txt", null, ("If-Match", "\"nope\""))).StatusCode);
    }

    [Fact]
    public async Task Listings_Leave_Out_Members_The_User_May_Not_Read()
    {
        var authorizer = new RuleAuthorizer(r => r.User.Identity?.Name != "reader"
            || r.Access == DavAccess.Read && r.Path.ToString() is not "hidden.txt" and not "folder/secret" && !r.Path.ToString().StartsWith("folder/secret/", StringComparison.Ordinal));
        await using var server = await AuthorizationTestServer.StartAsync(authorizer);
        await server.SeedAsync("hidden.txt", "h");
        await server.SeedAsync("shown.txt", "s");
        await server.SeedAsync("folder/secret/deep.txt", "d");
        await server.SeedAsync("folder/open.txt", "o");

        var root = Dav.Hrefs(await Dav.MultistatusAsync(await server.SendAsync("reader", "PROPFIND", "", null, ("Depth", "1"))));
        Assert.Equal(["/", "/folder/", "/shown.txt"], root.Order(StringComparer.Ordinal));
        var folder = Dav.Hrefs(await Dav.MultistatusAsync(await server.SendAsync("reader", "PROPFIND", "folder/", null, ("Depth", "1"))));
        Assert.Equal(["/folder/", "/folder/open.txt"], folder.Order(StringComparer.Ordinal));
        var writerView = Dav.Hrefs(await Dav.MultistatusAsync(await server.SendAsync("writer", "PROPFIND", "", null, ("Depth", "1"))));
        Assert.Contains("/hidden.txt", writerView);

        var html = await (await server.SendAsync("reader", "GET", "")).Content.ReadAsStringAsync();
        Assert.Contains("shown.txt", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden.txt", html, StringComparison.Ordinal);
        var folderHtml = await (await server.SendAsync("reader", "GET", "folder/")).Content.ReadAsStringAsync();
        Assert.Contains("open.txt", folderHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", folderHtml, StringComparison.Ordinal);

        // Uploads in progress: the writer starts two, the reader's REPORT shows only the one it may read.
        foreach (var path in new[] { "folder/secret/up.bin", "folder/up.bin" })
        {
            var segment = Dav.Request("PUT", path, null, ("X-User", "writer"));
            segment.Content = new ByteArrayContent(new byte[10]);
            segment.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, 9, 100);
            Assert.Equal((HttpStatusCode)308, (await server.Server.Client.SendAsync(segment)).StatusCode);
        }

        const string report = "<i:upload-progress xmlns:i=\"ithit\"/>";
        var readerReport = Dav.Hrefs(await Dav.MultistatusAsync(await server.SendAsync("reader", "REPORT", "folder/", report)));
        Assert.Equal(["/folder/up.bin"], readerReport);
        var writerReport = Dav.Hrefs(await Dav.MultistatusAsync(await server.SendAsync("writer", "REPORT", "folder/", report)));
        Assert.Equal(2, writerReport.Count);
    }

    [Fact]
    public async Task Copy_Needs_Read_On_The_Source_Tree_And_Create_On_The_Destination()
    {
        // Tree-aware, as IncludesDescendants asks: a question about a tree is denied when anything below is.
        var authorizer = new RuleAuthorizer(r => r.Access != DavAccess.Read
            || !(r.Path.ToString() == "folder/secret" || r.Path.ToString().StartsWith("folder/secret/", StringComparison.Ordinal)
                 || (r.IncludesDescendants && "folder/secret".StartsWith(r.Path + "/", StringComparison.Ordinal))));
        await using var server = await AuthorizationTestServer.StartAsync(authorizer);
        await server.SeedAsync("folder/secret/deep.txt", "d");
        await server.SeedAsync("folder/open.txt", "o");

        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "COPY", "folder/", null, ("Destination", "/copy/"))).StatusCode);
        Assert.Null(await server.GetAsync("copy"));
        Assert.Contains("u Read on /folder and below", authorizer.Asked);

        // Depth 0 copies only the folder itself, which may be read.
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("u", "COPY", "folder/", null, ("Destination", "/copy/"), ("Depth", "0"))).StatusCode);
        Assert.Contains("u Create on /copy", authorizer.Asked);

        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("u", "COPY", "folder/open.txt", null, ("Destination", "/open-copy.txt"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync("u", "COPY", "folder/open.txt", null, ("Destination", "/open-copy.txt"))).StatusCode);
        Assert.Contains("u Delete on /open-copy.txt", authorizer.Asked);
    }

    [Fact]
    public async Task Move_Needs_Delete_On_The_Source_As_Well()
    {
        var authorizer = new RuleAuthorizer(r => r.Access != DavAccess.Delete);
        await using var server = await AuthorizationTestServer.StartAsync(authorizer);
        await server.SeedAsync("a.txt", "a");

        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "MOVE", "a.txt", null, ("Destination", "/b.txt"))).StatusCode);
        Assert.Equal("a", await server.ReadAsync("a.txt"));
        Assert.Null(await server.GetAsync("b.txt"));
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("u", "COPY", "a.txt", null, ("Destination", "/b.txt"))).StatusCode);

        // Overwrite: T deletes the destination first, so it needs Delete there; Overwrite: F does not.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("u", "COPY", "a.txt", null, ("Destination", "/b.txt"))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await server.SendAsync("u", "COPY", "a.txt", null, ("Destination", "/b.txt"), ("Overwrite", "F"))).StatusCode);
    }

    [Fact]
    public async Task An_Anonymous_Request_That_Is_Denied_Is_Challenged_When_The_Application_Authenticates()
    {
        var authorizer = new RuleAuthorizer(r => r.User.Identity?.IsAuthenticated == true || r.Access == DavAccess.Read);
        await using var server = await AuthorizationTestServer.StartAsync(authorizer);
        await server.SeedAsync("a.txt", "a");

        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(null, "GET", "a.txt")).StatusCode);
        var put = await server.SendAsync(null, "PUT", "a.txt", "anonymous");
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.Equal("Test", put.Headers.WwwAuthenticate.ToString());
        Assert.Equal("a", await server.ReadAsync("a.txt"));
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync("someone", "PUT", "a.txt", "signed")).StatusCode);
    }

    [Fact]
    public async Task Without_Authentication_A_Denied_Anonymous_Request_Gets_403()
    {
        await using var server = await AuthorizationTestServer.StartAsync(new RuleAuthorizer(r => r.Access == DavAccess.Read), authentication: false);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync(null, "PUT", "a.txt", "x")).StatusCode);
        Assert.Null(await server.GetAsync("a.txt"));
    }

    [Fact]
    public async Task The_Default_Authorizer_Allows_Everything_And_Is_Never_Asked_Per_Member()
    {
        await using var server = await AuthorizationTestServer.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(null, "PUT", "a.txt", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(null, "MKCOL", "d")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(null, "DELETE", "d")).StatusCode);
    }
}
