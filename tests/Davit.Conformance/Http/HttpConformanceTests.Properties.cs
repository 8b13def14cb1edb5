using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    private const string AllLive = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:creationdate/><D:displayname/><D:getcontentlength/><D:getcontenttype/><D:getetag/><D:getlastmodified/><D:resourcetype/></D:prop></D:propfind>";

    [Fact]
    public async Task Propfind_Depth_0_On_The_Root_Describes_A_Collection()
    {
        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("", "0"));
        Assert.Equal([Href("")], Dav.Hrefs(ms));
        var resourceType = Dav.Property(ms, Href(""), D + "resourcetype");
        Assert.NotNull(resourceType);
        Assert.NotNull(resourceType.Value.Property.Element(D + "collection"));
        Assert.Equal("HTTP/1.1 200 OK", resourceType.Value.Status);
    }

    [Fact]
    public async Task Concurrent_Propfinds_With_Different_Bodies_Each_Get_The_Answer_To_Their_Own_Body()
    {
        // The engine remembers parsed bodies and reuses buffers: no answer may carry another request's choice.
        await Client.PutAsync("four.txt", "four");
        const string lengthOnly = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getcontentlength/></D:prop></D:propfind>";
        const string nameAndMissing = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname/><x:nothing xmlns:x=\"urn:x\"/></D:prop></D:propfind>";
        const string names = "<D:propfind xmlns:D=\"DAV:\"><D:propname/></D:propfind>";
        var bodies = new[] { null, lengthOnly, nameAndMissing, names };
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var body = bodies[i % bodies.Length];
            return (Body: body, Multistatus: await Dav.MultistatusAsync(await Client.PropfindAsync("four.txt", "0", body)));
        }));

        var href = Href("four.txt");
        foreach (var (body, ms) in answers)
        {
            var length = Dav.Property(ms, href, D + "getcontentlength");
            var name = Dav.Property(ms, href, D + "displayname");
            var missing = Dav.Property(ms, href, XName.Get("nothing", "urn:x"));
            switch (body)
            {
                case null:
                    Assert.Equal("4", length?.Property.Value);
                    Assert.Equal("four.txt", name?.Property.Value);
                    Assert.Null(missing);
                    break;
                case lengthOnly:
                    Assert.Equal("4", length?.Property.Value);
                    Assert.Null(name);
                    Assert.Null(missing);
                    break;
                case nameAndMissing:
                    Assert.Null(length);
                    Assert.Equal("four.txt", name?.Property.Value);
                    Assert.Equal("HTTP/1.1 404 Not Found", missing?.Status);
                    break;
                default:
                    Assert.Equal(string.Empty, length?.Property.Value);
                    Assert.Equal(string.Empty, name?.Property.Value);
                    Assert.Null(missing);
                    break;
            }
        }
    }

    [Fact]
    public async Task Propfind_Depth_1_Lists_Members_With_Collection_Hrefs_Ending_In_Slash()
    {
        await Client.SendAsync("MKCOL", "p/");
        await Client.SendAsync("MKCOL", "p/sub/");
        await Client.PutAsync("p/f.txt", "12345");
        await Client.PutAsync("p/sub/deeper.txt", "x");
        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("p/", "1", AllLive));
        Assert.Equal([Href("p/"), Href("p/f.txt"), Href("p/sub/")], Dav.Hrefs(ms).Order(StringComparer.Ordinal));

        var length = Dav.Property(ms, Href("p/f.txt"), D + "getcontentlength");
        Assert.Equal("5", length?.Property.Value);
        Assert.Equal("text/plain", Dav.Property(ms, Href("p/f.txt"), D + "getcontenttype")?.Property.Value);
        Assert.Equal("f.txt", Dav.Property(ms, Href("p/f.txt"), D + "displayname")?.Property.Value);
        var etag = Dav.Property(ms, Href("p/f.txt"), D + "getetag")?.Property.Value;
        Assert.Equal((await Client.SendAsync("HEAD", "p/f.txt")).Headers.ETag?.Tag, etag);

        var lastModified = Dav.Property(ms, Href("p/f.txt"), D + "getlastmodified")!.Value.Property.Value;
        Assert.True(DateTime.TryParseExact(lastModified, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _), lastModified);
        var created = Dav.Property(ms, Href("p/f.txt"), D + "creationdate")!.Value.Property.Value;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", created);

        // A folder has no content length: that property is reported missing, with 404.
        var folderLength = Dav.Property(ms, Href("p/sub/"), D + "getcontentlength");
        Assert.Equal("HTTP/1.1 404 Not Found", folderLength?.Status);
    }

    [Fact]
    public async Task Propfind_Depth_Infinity_Is_Refused_With_403_And_The_Precondition()
    {
        foreach (var depth in new[] { "infinity", null })
        {
            var request = Dav.Request("PROPFIND", "");
            if (depth is not null)
            {
                request.Headers.Add("Depth", depth);
            }

            var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(D + "error", error.Root!.Name);
            Assert.NotNull(error.Root.Element(D + "propfind-finite-depth"));
        }
    }

    [Fact]
    public async Task Propfind_With_A_Bad_Depth_Or_Body_Returns_400_And_On_Nothing_404()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PropfindAsync("", "2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PropfindAsync("", "0", "<D:propfind xmlns:D=\"DAV:\"><D:prop>")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PropfindAsync("", "0", "<propfind xmlns=\"DAV:\" xmlns:bar=\"\"><prop><bar:foo/></prop></propfind>")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PropfindAsync("ghost", "0")).StatusCode);
    }

    [Fact]
    public async Task Propfind_Propname_Lists_Names_Without_Values()
    {
        await Client.PutAsync("n.txt", "abc");
        await SetPropertyAsync("n.txt", "<Z:color xmlns:Z=\"http://example.com/ns/\">red</Z:color>");
        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("n.txt", "0", "<propfind xmlns=\"DAV:\"><propname/></propfind>"));
        var length = Dav.Property(ms, Href("n.txt"), D + "getcontentlength");
        Assert.NotNull(length);
        Assert.Equal(string.Empty, length.Value.Property.Value);
        var color = Dav.Property(ms, Href("n.txt"), Z + "color");
        Assert.NotNull(color);
        Assert.Equal(string.Empty, color.Value.Property.Value);
    }

    [Fact]
    public async Task Propfind_Allprop_Without_A_Body_Returns_Live_And_Dead_Properties()
    {
        await Client.PutAsync("all.txt", "abc");
        await SetPropertyAsync("all.txt", "<Z:color xmlns:Z=\"http://example.com/ns/\">red</Z:color>");
        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("all.txt", "0"));
        Assert.Equal("3", Dav.Property(ms, Href("all.txt"), D + "getcontentlength")?.Property.Value);
        Assert.Equal("red", Dav.Property(ms, Href("all.txt"), Z + "color")?.Property.Value);
    }

    [Fact]
    public async Task Proppatch_Values_Round_Trip_With_Namespaces_Lang_Empty_Namespace_And_High_Unicode()
    {
        await Client.PutAsync("v.txt", "x");
        var patch = await Client.SendAsync("PROPPATCH", "v.txt", Dav.Xml(
            "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"http://example.com/ns/\"><D:set xml:lang=\"en-GB\"><D:prop>" +
            "<Z:rich>text &#65536; <b xmlns=\"http://bar/\" attr=\"1\">bold</b> tail</Z:rich>" +
            "<plain xmlns=\"\">no namespace</plain>" +
            "</D:prop></D:set></D:propertyupdate>"));
        var patched = await Dav.MultistatusAsync(patch);
        Assert.Equal("HTTP/1.1 200 OK", Dav.Property(patched, Href("v.txt"), Z + "rich")?.Status);
        Assert.Equal("HTTP/1.1 200 OK", Dav.Property(patched, Href("v.txt"), "plain")?.Status);

        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("v.txt", "0",
            "<D:propfind xmlns:D=\"DAV:\"><D:prop><Q:rich xmlns:Q=\"http://example.com/ns/\"/><plain xmlns=\"\"/></D:prop></D:propfind>"));
        var rich = Dav.Property(ms, Href("v.txt"), Z + "rich")!.Value.Property;
        Assert.Equal("text \U00010000 bold tail", rich.Value);
        Assert.Equal("en-GB", rich.Attribute(XNamespace.Xml + "lang")?.Value);
        var bold = Assert.Single(rich.Elements());
        Assert.Equal(XName.Get("b", "http://bar/"), bold.Name);
        Assert.Equal("1", bold.Attribute("attr")?.Value);
        Assert.Equal("no namespace", Dav.Property(ms, Href("v.txt"), "plain")?.Property.Value);
    }

    [Fact]
    public async Task Proppatch_Applies_Set_And_Remove_In_Document_Order()
    {
        await Client.PutAsync("o.txt", "x");
        await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", "o.txt", Dav.Xml(
            "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"http://example.com/ns/\">" +
            "<D:set><D:prop><Z:a>1</Z:a><Z:b>1</Z:b></D:prop></D:set>" +
            "<D:remove><D:prop><Z:a/></D:prop></D:remove>" +
            "<D:set><D:prop><Z:b>2</Z:b></D:prop></D:set>" +
            "<D:remove><D:prop><Z:never-set/></D:prop></D:remove>" +
            "</D:propertyupdate>")));
        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("o.txt", "0",
            "<D:propfind xmlns:D=\"DAV:\" xmlns:Z=\"http://example.com/ns/\"><D:prop><Z:a/><Z:b/></D:prop></D:propfind>"));
        Assert.Equal("HTTP/1.1 404 Not Found", Dav.Property(ms, Href("o.txt"), Z + "a")?.Status);
        Assert.Equal("2", Dav.Property(ms, Href("o.txt"), Z + "b")?.Property.Value);
    }

    [Fact]
    public async Task Proppatch_Of_A_Protected_Property_Is_403_With_424_For_The_Rest_And_Changes_Nothing()
    {
        await Client.PutAsync("p.txt", "x");
        var ms = await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", "p.txt", Dav.Xml(
            "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"http://example.com/ns/\"><D:set><D:prop>" +
            "<Z:ok>v</Z:ok><D:getetag>\"forged\"</D:getetag></D:prop></D:set></D:propertyupdate>")));
        Assert.Equal("HTTP/1.1 403 Forbidden", Dav.Property(ms, Href("p.txt"), D + "getetag")?.Status);
        Assert.Equal("HTTP/1.1 424 Failed Dependency", Dav.Property(ms, Href("p.txt"), Z + "ok")?.Status);

        var after = await Dav.MultistatusAsync(await Client.PropfindAsync("p.txt", "0",
            "<D:propfind xmlns:D=\"DAV:\" xmlns:Z=\"http://example.com/ns/\"><D:prop><Z:ok/></D:prop></D:propfind>"));
        Assert.Equal("HTTP/1.1 404 Not Found", Dav.Property(after, Href("p.txt"), Z + "ok")?.Status);
    }

    [Fact]
    public async Task Proppatch_Does_Not_Change_The_Modification_Time_Or_The_ETag()
    {
        await Client.PutAsync("mt.txt", "x");
        var before = await Client.SendAsync("HEAD", "mt.txt");
        await Task.Delay(1100);
        await SetPropertyAsync("mt.txt", "<Z:k xmlns:Z=\"http://example.com/ns/\">v</Z:k>");
        var after = await Client.SendAsync("HEAD", "mt.txt");
        Assert.Equal(before.Content.Headers.LastModified, after.Content.Headers.LastModified);
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
    }

    [Fact]
    public async Task Proppatch_With_A_Bad_Body_Returns_400_And_On_Nothing_404()
    {
        await Client.PutAsync("b.txt", "x");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("PROPPATCH", "b.txt", "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("PROPPATCH", "b.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync("PROPPATCH", "none.txt", Dav.Xml("<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x xmlns=\"urn:x\">1</x></D:prop></D:set></D:propertyupdate>"))).StatusCode);
    }

    [Fact]
    public async Task Dead_Properties_Travel_With_Copy_And_Move_And_Vanish_With_Delete()
    {
        await Client.PutAsync("pm.txt", "x");
        await SetPropertyAsync("pm.txt", "<Z:tag xmlns:Z=\"http://example.com/ns/\">kept</Z:tag>");
        await Client.SendAsync("COPY", "pm.txt", null, ("Destination", Href("pc.txt")));
        await Client.SendAsync("MOVE", "pm.txt", null, ("Destination", Href("pmoved.txt")));
        Assert.Equal("kept", await ReadPropertyAsync("pc.txt"));
        Assert.Equal("kept", await ReadPropertyAsync("pmoved.txt"));

        await Client.DeleteAsync("pmoved.txt");
        await Client.PutAsync("pmoved.txt", "new");
        Assert.Null(await ReadPropertyAsync("pmoved.txt"));
    }

    private async Task SetPropertyAsync(string url, string propertyXml)
    {
        var ms = await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", url, Dav.Xml(
            $"<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>{propertyXml}</D:prop></D:set></D:propertyupdate>")));
        Assert.All(ms.Descendants(D + "status"), s => Assert.Equal("HTTP/1.1 200 OK", s.Value));
    }

    private async Task<string?> ReadPropertyAsync(string url)
    {
        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync(url, "0",
            "<D:propfind xmlns:D=\"DAV:\"><D:prop><Z:tag xmlns:Z=\"http://example.com/ns/\"/></D:prop></D:propfind>"));
        var found = Dav.Property(ms, Href(url), Z + "tag");
        return found?.Status == "HTTP/1.1 200 OK" ? found.Value.Property.Value : null;
    }
}
