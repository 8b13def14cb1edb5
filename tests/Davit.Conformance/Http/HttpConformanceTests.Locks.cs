using System.Net;
using System.Xml.Linq;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    private static string LockBody(string scope, string owner = "<D:owner>tester</D:owner>") =>
        Dav.Xml($"<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:{scope}/></D:lockscope><D:locktype><D:write/></D:locktype>{owner}</D:lockinfo>");

    /// <summary>LOCKs <paramref name="url"/> and returns the token (without angle brackets).</summary>
    protected async Task<string> LockAsync(string url, string scope = "exclusive", string depth = "infinity")
    {
        var response = await Client.SendAsync("LOCK", url, LockBody(scope), ("Depth", depth), ("Timeout", "Second-600"));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"LOCK {url} answered {(int)response.StatusCode}");
        return response.Headers.GetValues("Lock-Token").Single().Trim('<', '>');
    }

    private async Task AssertLockedAsync(HttpResponseMessage response, string lockRootHref)
    {
        Assert.Equal((HttpStatusCode)423, response.StatusCode);
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(lockRootHref, error.Root!.Element(D + "lock-token-submitted")?.Element(D + "href")?.Value);
    }

    [Fact]
    public async Task A_Depth_0_Lock_On_A_Folder_Protects_Its_Membership_But_Not_Its_Members_Content()
    {
        await Client.SendAsync("MKCOL", "d0/");
        await Client.PutAsync("d0/existing.txt", "old");
        var token = await LockAsync("d0/", depth: "0");

        await AssertLockedAsync(await Client.PutAsync("d0/new.txt", "x"), Href("d0/"));
        await AssertLockedAsync(await Client.DeleteAsync("d0/existing.txt"), Href("d0/"));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("d0/existing.txt", "changed")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("d0/new.txt", System.Text.Encoding.UTF8.GetBytes("x"), ("If", $"<{Server.Url("d0/").AbsoluteUri}> (<{token}>)"))).StatusCode);
    }

    [Fact]
    public async Task Deleting_A_Folder_With_A_Locked_Member_Needs_That_Token_And_Deletes_Nothing_Without_It()
    {
        await Client.SendAsync("MKCOL", "tree/");
        await Client.PutAsync("tree/a.txt", "a");
        await Client.PutAsync("tree/b.txt", "b");
        var token = await LockAsync("tree/b.txt");

        await AssertLockedAsync(await Client.DeleteAsync("tree/"), Href("tree/b.txt"));
        Assert.Equal("a", await Client.GetStringAsync("tree/a.txt"));
        Assert.Equal("b", await Client.GetStringAsync("tree/b.txt"));

        var delete = await Client.SendAsync("DELETE", "tree/", null, ("If", $"<{Server.Url("tree/b.txt").AbsoluteUri}> (<{token}>)"));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("tree/b.txt")).StatusCode);

        // The lock went with the resource: a new file at the same URL is writable by anyone.
        await Client.SendAsync("MKCOL", "tree/");
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("tree/b.txt", "new")).StatusCode);
    }

    [Fact]
    public async Task Shared_Locks_Coexist_Either_Token_Writes_And_An_Exclusive_Lock_Conflicts_With_423()
    {
        await Client.PutAsync("shared.txt", "x");
        var first = await LockAsync("shared.txt", "shared");
        var second = await LockAsync("shared.txt", "shared");
        Assert.NotEqual(first, second);

        var exclusive = await Client.SendAsync("LOCK", "shared.txt", LockBody("exclusive"));
        Assert.Equal((HttpStatusCode)423, exclusive.StatusCode);
        var error = XDocument.Parse(await exclusive.Content.ReadAsStringAsync());
        Assert.Equal(Href("shared.txt"), error.Root!.Element(D + "no-conflicting-lock")?.Element(D + "href")?.Value);

        await AssertLockedAsync(await Client.PutAsync("shared.txt", "no token"), Href("shared.txt"));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("shared.txt", System.Text.Encoding.UTF8.GetBytes("second"), ("If", $"(<{second}>)"))).StatusCode);
        Assert.Equal("second", await Client.GetStringAsync("shared.txt"));
    }

    [Fact]
    public async Task A_Depth_Infinity_Lock_Covers_Members_Created_Later_And_Shows_In_Their_Lockdiscovery()
    {
        await Client.SendAsync("MKCOL", "inf/");
        var token = await LockAsync("inf/");
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("inf/later.txt", System.Text.Encoding.UTF8.GetBytes("x"), ("If", $"(<{token}>)"))).StatusCode);
        await AssertLockedAsync(await Client.PutAsync("inf/later.txt", "y"), Href("inf/"));

        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("inf/", "1", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>"));
        var discovery = Dav.Property(ms, Href("inf/later.txt"), D + "lockdiscovery")!.Value.Property;
        Assert.Equal(token, discovery.Descendants(D + "locktoken").Single().Element(D + "href")!.Value);
        Assert.Equal(Href("inf/"), discovery.Descendants(D + "lockroot").Single().Element(D + "href")!.Value);
        Assert.Equal("infinity", discovery.Descendants(D + "depth").Single().Value);
    }

    [Fact]
    public async Task Unlock_With_A_Token_That_Does_Not_Cover_The_Url_Is_409_And_Keeps_The_Lock()
    {
        await Client.PutAsync("u1.txt", "x");
        await Client.PutAsync("u2.txt", "x");
        var token = await LockAsync("u1.txt");
        var wrong = await Client.SendAsync("UNLOCK", "u2.txt", null, ("Lock-Token", $"<{token}>"));
        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        Assert.Contains("lock-token-matches-request-uri", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.SendAsync("UNLOCK", "u1.txt", null, ("Lock-Token", "<urn:uuid:00000000-0000-0000-0000-000000000000>"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("UNLOCK", "u1.txt")).StatusCode);
        await AssertLockedAsync(await Client.PutAsync("u1.txt", "y"), Href("u1.txt"));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("UNLOCK", "u1.txt", null, ("Lock-Token", $"<{token}>"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("u1.txt", "y")).StatusCode);
    }

    [Fact]
    public async Task A_Refresh_Without_A_Matching_Token_Is_412()
    {
        await Client.PutAsync("r.txt", "x");
        await LockAsync("r.txt");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Client.SendAsync("LOCK", "r.txt", null, ("If", "(<urn:uuid:00000000-0000-0000-0000-000000000000>)"))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Client.SendAsync("LOCK", "r.txt")).StatusCode);
    }

    [Fact]
    public async Task Lock_Requests_With_Bad_Bodies_Or_Depth_1_Are_400()
    {
        await Client.PutAsync("bad.txt", "x");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("LOCK", "bad.txt", LockBody("exclusive"), ("Depth", "1"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("LOCK", "bad.txt", Dav.Xml("<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope></D:lockinfo>"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("LOCK", "bad.txt", Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("LOCK", "bad.txt", "<D:lockinfo xmlns:D=\"DAV:\">")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("bad.txt", "unlocked")).StatusCode);
    }

    [Fact]
    public async Task Lock_On_An_Unmapped_Url_Without_A_Parent_Is_409_And_Leaves_No_Lock()
    {
        Assert.Equal(HttpStatusCode.Conflict, (await Client.SendAsync("LOCK", "no/parent.txt", LockBody("exclusive"))).StatusCode);
        await Client.SendAsync("MKCOL", "no/");
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("no/parent.txt", "x")).StatusCode);
    }

    [Fact]
    public async Task Moving_Into_A_Locked_Folder_Needs_Its_Token()
    {
        await Client.SendAsync("MKCOL", "target/");
        await Client.PutAsync("loose.txt", "x");
        var token = await LockAsync("target/");
        await AssertLockedAsync(await Client.SendAsync("MOVE", "loose.txt", null, ("Destination", Href("target/loose.txt"))), Href("target/"));
        Assert.Equal("x", await Client.GetStringAsync("loose.txt"));
        var move = await Client.SendAsync("MOVE", "loose.txt", null, ("Destination", Href("target/loose.txt")), ("If", $"<{Server.Url("target/").AbsoluteUri}> (<{token}>)"));
        Assert.Equal(HttpStatusCode.Created, move.StatusCode);
    }

    [Fact]
    public async Task Lock_Tokens_Are_Unique_Urn_Uuids_And_Allprop_Shows_Supportedlock()
    {
        await Client.PutAsync("t1.txt", "x");
        await Client.PutAsync("t2.txt", "x");
        var tokens = new[] { await LockAsync("t1.txt"), await LockAsync("t2.txt") };
        Assert.All(tokens, t => Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", t));
        Assert.NotEqual(tokens[0], tokens[1]);

        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("t1.txt", "0"));
        var supported = Dav.Property(ms, Href("t1.txt"), D + "supportedlock")!.Value.Property;
        Assert.Equal(2, supported.Elements(D + "lockentry").Count());
        Assert.NotNull(supported.Descendants(D + "exclusive").SingleOrDefault());
        Assert.NotNull(supported.Descendants(D + "shared").SingleOrDefault());
    }

    [Fact]
    public async Task Proppatch_Of_Lockdiscovery_Is_Refused_As_Protected()
    {
        await Client.PutAsync("ld.txt", "x");
        var ms = await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", "ld.txt", Dav.Xml(
            "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:lockdiscovery/></D:prop></D:set></D:propertyupdate>")));
        Assert.Equal("HTTP/1.1 403 Forbidden", Dav.Property(ms, Href("ld.txt"), D + "lockdiscovery")?.Status);
    }
}
