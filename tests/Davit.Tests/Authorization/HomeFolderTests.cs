using System.Net;
using Davit.Conformance.Http;
using Davit.Storage;

namespace Davit.Tests.Authorization;

/// <summary>A user confined to a home folder sees it as the root, and no path form reaches above it.</summary>
public sealed class HomeFolderTests : IAsyncLifetime
{
    private AuthorizationTestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await AuthorizationTestServer.StartAsync(
            homes: new MapHomeFolders(new() { ["alice"] = "users/alice", ["bob"] = "users/bob" }),
            prefix: "/dav");
        await server.SeedAsync("top.txt", "top secret");
        await server.SeedAsync("users/bob/bob.txt", "bob's");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task The_Home_Folder_Is_Created_On_First_Use_And_Seen_As_The_Root()
    {
        Assert.Null(await server.GetAsync("users/alice"));
        var listing = await server.SendAsync("alice", "PROPFIND", "/dav/", null, ("Depth", "1"));
        Assert.Equal(["/dav/"], Dav.Hrefs(await Dav.MultistatusAsync(listing)));
        Assert.IsAssignableFrom<IFolder>(await server.GetAsync("users/alice"));

        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("alice", "PUT", "/dav/notes.txt", "mine")).StatusCode);
        Assert.Equal("mine", await server.ReadAsync("users/alice/notes.txt"));
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("alice", "MKCOL", "/dav/sub")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("alice", "COPY", "/dav/notes.txt", null, ("Destination", "/dav/sub/copy.txt"))).StatusCode);
        Assert.Equal("mine", await server.ReadAsync("users/alice/sub/copy.txt"));
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("alice", "MOVE", "/dav/sub/copy.txt", null, ("Destination", $"{server.Server.Root}moved.txt"))).StatusCode);
        Assert.Equal("mine", await server.ReadAsync("users/alice/moved.txt"));

        var hrefs = Dav.Hrefs(await Dav.MultistatusAsync(await server.SendAsync("alice", "PROPFIND", "/dav/", null, ("Depth", "1"))));
        Assert.Equal(["/dav/", "/dav/moved.txt", "/dav/notes.txt", "/dav/sub/"], hrefs.Order(StringComparer.Ordinal));

        var html = await (await server.SendAsync("alice", "GET", "/dav/")).Content.ReadAsStringAsync();
        Assert.Contains("Index of /<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("../", html, StringComparison.Ordinal);
        Assert.DoesNotContain("users", html, StringComparison.Ordinal);

        // Bob sees his own home; a user without one sees the whole store.
        Assert.Equal("bob's", await (await server.SendAsync("bob", "GET", "/dav/bob.txt")).Content.ReadAsStringAsync());
        Assert.Equal("top secret", await (await server.SendAsync("carol", "GET", "/dav/top.txt")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/dav/../top.txt")]
    [InlineData("/dav/%2e%2e/top.txt")]
    [InlineData("/dav/%2E%2E/top.txt")]
    [InlineData("/dav/.%2e/top.txt")]
    [InlineData("/dav/..%2ftop.txt")]
    [InlineData("/dav/..%2Ftop.txt")]
    [InlineData("/dav/%2e%2e%2f%2e%2e%2ftop.txt")]
    [InlineData("/dav/..%5ctop.txt")]
    [InlineData("/dav/..\\top.txt")]
    [InlineData("/dav/./../top.txt")]
    [InlineData("/dav//../top.txt")]
    [InlineData("/dav/sub/../../top.txt")]
    [InlineData("/dav/../users/bob/bob.txt")]
    [InlineData("/dav/%2e%2e/bob/bob.txt")]
    [InlineData("/dav/%252e%252e/top.txt")]
    [InlineData("/dav/%c0%ae%c0%ae/top.txt")]
    [InlineData("/dav/..%00/top.txt")]
    [InlineData("/top.txt")]
    [InlineData("/dav/users/bob/bob.txt")]
    [InlineData("http://127.0.0.1/dav/../top.txt")]
    public async Task No_Request_Path_Reaches_Above_The_Home_Folder(string target)
    {
        await server.SendAsync("alice", "PROPFIND", "/dav/", null, ("Depth", "0"));
        var status = await server.Server.SendRawAsync($"GET {target} HTTP/1.1\r\nX-User: alice");
        Assert.True(status is 400 or 404, $"GET {target} answered {status}");

        var put = await server.Server.SendRawAsync($"PUT {target} HTTP/1.1\r\nX-User: alice\r\nContent-Length: 5", "owned"u8.ToArray());
        Assert.True(put is 400 or 404 or 409, $"PUT {target} answered {put}");
        Assert.Equal("top secret", await server.ReadAsync("top.txt"));
        Assert.Equal("bob's", await server.ReadAsync("users/bob/bob.txt"));
    }

    [Theory]
    [InlineData("/dav/../top.txt", 400)]
    [InlineData("/dav/%2e%2e/top.txt", 400)]
    [InlineData("/dav/..%2ftop.txt", 400)]
    [InlineData("http://127.0.0.1/dav/%2e%2e/users/bob/stolen.txt", 400)]
    [InlineData("/top.txt", 502)]
    [InlineData("http://elsewhere.example/top.txt", 502)]
    [InlineData("/users/bob/stolen.txt", 502)]
    [InlineData("/dav/users/bob/stolen.txt", 409)]
    public async Task No_Destination_Reaches_Above_The_Home_Folder(string destination, int expected)
    {
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("alice", "PUT", "/dav/mine.txt", "alice's")).StatusCode);
        foreach (var method in new[] { "COPY", "MOVE" })
        {
            var response = await server.SendAsync("alice", method, "/dav/mine.txt", null, ("Destination", destination), ("Overwrite", "T"));
            Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        }

        Assert.Equal("top secret", await server.ReadAsync("top.txt"));
        Assert.Equal("bob's", await server.ReadAsync("users/bob/bob.txt"));
        Assert.Null(await server.GetAsync("users/bob/stolen.txt"));
        Assert.Equal("alice's", await server.ReadAsync("users/alice/mine.txt"));
    }

    [Fact]
    public async Task The_Home_Folder_Cannot_Be_Deleted_Or_Moved_By_Its_User()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("alice", "PUT", "/dav/keep.txt", "k")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("alice", "DELETE", "/dav/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("alice", "MOVE", "/dav/", null, ("Destination", "/dav/x/"))).StatusCode);
        Assert.Equal("k", await server.ReadAsync("users/alice/keep.txt"));

        // OPTIONS says so: the home lists neither, a folder below it lists both.
        var home = (await server.SendAsync("alice", "OPTIONS", "/dav/")).Content.Headers.Allow;
        Assert.Contains("COPY", home);
        Assert.DoesNotContain("DELETE", home);
        Assert.DoesNotContain("MOVE", home);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync("alice", "MKCOL", "/dav/sub/")).StatusCode);
        var below = (await server.SendAsync("alice", "OPTIONS", "/dav/sub/")).Content.Headers.Allow;
        Assert.Contains("DELETE", below);
        Assert.Contains("MOVE", below);
    }

    [Fact]
    public async Task Lock_Hrefs_And_If_Tags_Are_Mapped_Too()
    {
        const string lockInfo = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";
        var locked = await server.SendAsync("alice", "LOCK", "/dav/doc.txt", lockInfo);
        Assert.Equal(HttpStatusCode.Created, locked.StatusCode);
        var body = await locked.Content.ReadAsStringAsync();
        Assert.Contains("<D:href>/dav/doc.txt</D:href>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("users", body, StringComparison.Ordinal);
        var token = locked.Headers.GetValues("Lock-Token").Single().Trim('<', '>');

        // A tagged If header names the resource as the user sees it.
        var put = await server.SendAsync("alice", "PUT", "/dav/doc.txt", "locked write", ("If", $"<{server.Server.Root}doc.txt> (<{token}>)"));
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal("locked write", await server.ReadAsync("users/alice/doc.txt"));

        var unlocked = await server.SendAsync("alice", "PUT", "/dav/doc.txt", "no token");
        Assert.Equal((HttpStatusCode)423, unlocked.StatusCode);
        Assert.Contains("<D:href>/dav/doc.txt</D:href>", await unlocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
