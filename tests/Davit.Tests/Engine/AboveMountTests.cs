using System.Net;
using Davit.Conformance.Http;
using Davit.Storage.Memory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Davit.Tests.Engine;

/// <summary>
/// A store mounted below the host's root still answers OPTIONS and PROPFIND above the mount, as the Windows
/// mini-redirector needs before it maps a drive (it asks "OPTIONS /" first), and nothing else there.
/// </summary>
public sealed class AboveMountTests
{
    private static readonly System.Xml.Linq.XNamespace D = "DAV:";

    [Theory]
    [InlineData("/")]
    [InlineData("/files")]
    [InlineData("/files/")]
    public async Task Options_Above_The_Mount_Advertises_The_Mounts_Classes(string path)
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), "/files/dav");
        var response = await server.Client.SendAsync("OPTIONS", new Uri(server.Root, path).ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var classes = string.Join(",", response.Headers.GetValues("DAV")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("1", classes);
        Assert.Contains("2", classes);
        Assert.Equal("DAV", Assert.Single(response.Headers.GetValues("MS-Author-Via")));
        Assert.Equal(["OPTIONS", "PROPFIND"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Propfind_Above_The_Mount_Shows_Collections_Leading_To_It()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), "/files/dav");

        var top = await Dav.MultistatusAsync(await server.Client.PropfindAsync(new Uri(server.Root, "/").ToString(), "1"));
        Assert.Equal(["/", "/files/"], Dav.Hrefs(top).Order(StringComparer.Ordinal));
        var middle = await Dav.MultistatusAsync(await server.Client.PropfindAsync(new Uri(server.Root, "/files").ToString(), "1"));
        Assert.Equal(["/files/", "/files/dav/"], Dav.Hrefs(middle).Order(StringComparer.Ordinal));

        foreach (var (document, href) in new[] { (top, "/"), (top, "/files/"), (middle, "/files/dav/") })
        {
            var (property, status) = Dav.Property(document, href, D + "resourcetype")!.Value;
            Assert.Contains("200", status, StringComparison.Ordinal);
            Assert.NotNull(property.Element(D + "collection"));
        }

        var zero = await Dav.MultistatusAsync(await server.Client.PropfindAsync(new Uri(server.Root, "/").ToString(), "0"));
        Assert.Equal(["/"], Dav.Hrefs(zero));
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("PUT", "/x.txt")]
    [InlineData("MKCOL", "/files/new")]
    [InlineData("DELETE", "/files")]
    [InlineData("LOCK", "/")]
    public async Task Nothing_Else_Is_Answered_Above_The_Mount(string method, string path)
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), "/files/dav");
        var response = await server.Client.SendAsync(method, new Uri(server.Root, path).ToString());

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path}: {response.StatusCode}");
        // The mount itself is untouched.
        var listing = await Dav.MultistatusAsync(await server.Client.PropfindAsync("", "1"));
        Assert.Equal(["/files/dav/"], Dav.Hrefs(listing));
    }

    [Fact]
    public async Task The_Applications_Own_Route_Above_The_Mount_Wins()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), "/dav",
            endpoint: (app, _) => app.MapMethods("/", [HttpMethods.Options], () => Results.StatusCode(299)));

        var response = await server.Client.SendAsync("OPTIONS", new Uri(server.Root, "/").ToString());
        Assert.Equal(299, (int)response.StatusCode);
        // PROPFIND there is still the engine's.
        Assert.Equal(HttpStatusCode.MultiStatus, (await server.Client.PropfindAsync(new Uri(server.Root, "/").ToString(), "0")).StatusCode);
    }

    [Fact]
    public async Task Turning_It_Off_Leaves_The_Paths_Above_The_Mount_Alone()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), "/dav", configure: o => o.AnswerAboveMount = false);
        var response = await server.Client.SendAsync("OPTIONS", new Uri(server.Root, "/").ToString());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync("OPTIONS", "")).StatusCode);
    }

    [Fact]
    public async Task Allow_On_The_Stores_Root_Leaves_Out_Delete_And_Move()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore());
        await server.Client.PutAsync("f.txt", "x");

        var root = (await server.Client.SendAsync("OPTIONS", "")).Content.Headers.Allow;
        Assert.DoesNotContain("DELETE", root);
        Assert.DoesNotContain("MOVE", root);
        Assert.Contains("COPY", root);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync("DELETE", "")).StatusCode);

        var file = (await server.Client.SendAsync("OPTIONS", "f.txt")).Content.Headers.Allow;
        Assert.Contains("DELETE", file);
        Assert.Contains("MOVE", file);
    }
}
