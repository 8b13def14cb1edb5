using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Davit.Locking;
using Davit.Storage;

namespace Davit.Conformance.Http;

// Names and values that XML 1.0 cannot carry, put in the store behind the server's back (a file made on disk, a store
// filled by its application): the server refuses to create them, but must still list and serve what is there, and
// no 207 may end halfway.
public abstract partial class HttpConformanceTests
{
    // Each name with the percent-encoding of its UTF-8 bytes, as every href must spell it.
    private static readonly (string Name, string Encoded)[] UncarriedNames =
    [
        ("a\u0017b.txt", "a%17b.txt"),
        ("bell\u0007", "bell%07"),
        ("\uFFFE.bin", "%EF%BF%BE.bin"),
        ("tab\tand\u001Fus.txt", "tab%09and%1Fus.txt"),
    ];

    private static readonly XNamespace Odd = "urn:davit:odd";

    [Fact]
    public async Task Stored_Names_Xml_Cannot_Carry_Keep_The_Folder_Listable_By_Propfind()
    {
        await PutUncarriedNamesAsync();

        foreach (var body in new string?[]
        {
            null,
            Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>"),
            Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname/><D:getcontenttype/><D:resourcetype/></D:prop></D:propfind>"),
            Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:propname/></D:propfind>"),
        })
        {
            var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("odd/", "1", body));
            var hrefs = Dav.Hrefs(listing);
            Assert.Contains(Href("odd/fine.txt"), hrefs);
            Assert.Contains(Href("odd/sub/"), hrefs);
            foreach (var (name, encoded) in UncarriedNames)
            {
                Assert.Contains(Href("odd/" + encoded), hrefs);
                if (body is null || body.Contains("displayname", StringComparison.Ordinal) || body.Contains("allprop", StringComparison.Ordinal))
                {
                    // Shown with U+FFFD for each character XML cannot carry; the href stays exact.
                    var shown = Dav.Property(listing, Href("odd/" + encoded), D + "displayname")?.Property.Value;
                    Assert.Equal(Shown(name), shown);
                }
            }
        }
    }

    [Fact]
    public async Task Stored_Names_Xml_Cannot_Carry_Are_Served_Listed_In_Html_And_Json_And_Can_Be_Renamed()
    {
        await PutUncarriedNamesAsync();

        foreach (var (name, encoded) in UncarriedNames)
        {
            Assert.Equal(name, await Client.GetStringAsync("odd/" + encoded));
            var single = await Dav.MultistatusAsync(await Client.PropfindAsync("odd/" + encoded, "0"));
            Assert.Equal([Href("odd/" + encoded)], Dav.Hrefs(single));
        }

        var html = await Client.GetAsync("odd/");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        var page = await html.Content.ReadAsStringAsync();
        Assert.EndsWith("</html>\n", page, StringComparison.Ordinal);
        foreach (var (_, encoded) in UncarriedNames)
        {
            Assert.Contains($"href=\"{Href("odd/" + encoded)}\"", page, StringComparison.Ordinal);
        }

        var json = await Client.GetAsync("odd/?davit-listing");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        using var document = JsonDocument.Parse(await json.Content.ReadAsByteArrayAsync());
        var entries = document.RootElement.GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("href").GetString()!, StringComparer.Ordinal);
        foreach (var (name, encoded) in UncarriedNames)
        {
            Assert.Equal(Href("odd/" + encoded), entries[name]);
        }

        var report = await Client.SendAsync("REPORT", "odd/", Dav.Xml("<i:upload-progress xmlns:i=\"ithit\"/>"));
        Assert.True(report.StatusCode is HttpStatusCode.MultiStatus or HttpStatusCode.NotFound, $"REPORT answered {(int)report.StatusCode}");
        if (report.StatusCode == HttpStatusCode.MultiStatus)
        {
            await Dav.MultistatusAsync(report);
        }

        // A user can get rid of such a name: rename it to one XML can carry, or delete it.
        var (first, firstEncoded) = UncarriedNames[0];
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MOVE", "odd/" + firstEncoded, null, ("Destination", Server.Url("odd/renamed.txt").AbsoluteUri))).StatusCode);
        Assert.Equal(first, await Client.GetStringAsync("odd/renamed.txt"));
        var (_, secondEncoded) = UncarriedNames[1];
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("odd/" + secondEncoded)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("odd/" + secondEncoded)).StatusCode);
    }

    [Fact]
    public async Task Stored_Dead_Property_Values_Xml_Cannot_Carry_Never_Break_A_207()
    {
        await Client.PutAsync("props.txt", "x");
        await Client.PutAsync("after.txt", "y");
        var odd = new XElement(Odd + "note", new XAttribute("kind", "bad\uFFFEattr"), "text\u0017with\u0001controls", new XElement(Odd + "inner", "lone \uD800 surrogate"));
        await Store.InWriteAsync(async context =>
        {
            var item = Assert.IsAssignableFrom<IDeadProperties>(await Store.GetHierarchyItemAsync(DavPath.Parse("props.txt"), context, default));
            await item.UpdatePropertiesAsync([new PropertyUpdate(odd.Name, new DeadProperty(odd))], default);
        });

        foreach (var body in new string?[]
        {
            null,
            Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:prop><o:note xmlns:o=\"urn:davit:odd\"/><D:getcontentlength/></D:prop></D:propfind>"),
        })
        {
            var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("", "1", body));
            Assert.Contains(Href("after.txt"), Dav.Hrefs(listing));
            var (note, status) = Dav.Property(listing, Href("props.txt"), Odd + "note")!.Value;
            Assert.Equal("HTTP/1.1 200 OK", status);
            Assert.Equal("text\uFFFDwith\uFFFDcontrols", note.Nodes().OfType<XText>().First().Value);
            Assert.Equal("bad\uFFFDattr", note.Attribute("kind")!.Value);
            Assert.Equal("lone \uFFFD surrogate", note.Element(Odd + "inner")!.Value);
        }
    }

    [Fact]
    public async Task Stored_Lock_Owners_That_Are_Not_Carryable_Xml_Never_Break_A_207()
    {
        if (Store is not ILockStore locks)
        {
            return; // the engine's own lock store holds only owners LOCK parsed
        }

        await Client.PutAsync("locked.txt", "x");
        await Client.PutAsync("also.txt", "y");
        var now = DateTimeOffset.UtcNow;
        ActiveLock Owned(string root, string owner) =>
            new("urn:uuid:" + Guid.NewGuid(), DavPath.Parse(root), LockScope.Shared, LockDepth.Zero, owner, null, TimeSpan.FromMinutes(10), now.AddMinutes(10));
        Assert.Empty(await locks.TryAddAsync(Owned("locked.txt", "<D:owner xmlns:D=\"DAV:\">bell\u0007 and \uFFFE</D:owner>"), now, default));
        Assert.Empty(await locks.TryAddAsync(Owned("locked.txt", "not <xml at all"), now, default));
        Assert.Empty(await locks.TryAddAsync(Owned("also.txt", "<D:owner xmlns:D=\"DAV:\">&#x17;</D:owner>"), now, default));

        var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("", "1", Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>")));
        var owners = listing.Descendants(D + "owner").Select(o => o.Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["bell\uFFFD and \uFFFD", "not <xml at all", "\uFFFD"], owners);
        Assert.Contains(Href("also.txt"), Dav.Hrefs(listing));
    }

    private async Task PutUncarriedNamesAsync()
    {
        await Client.SendAsync("MKCOL", "odd/");
        await Client.SendAsync("MKCOL", "odd/sub/");
        await Client.PutAsync("odd/fine.txt", "fine");
        await Store.InWriteAsync(async context =>
        {
            var folder = Assert.IsAssignableFrom<IFolder>(await Store.GetHierarchyItemAsync(DavPath.Parse("odd"), context, default));
            foreach (var (name, _) in UncarriedNames)
            {
                var bytes = Encoding.UTF8.GetBytes(name);
                await folder.CreateFileAsync(name, FileContent.FromStream(new MemoryStream(bytes), bytes.Length, null), default);
            }
        });
    }

    private static string Shown(string name) =>
        string.Concat(name.Select(c => c is '\t' or '\n' or '\r' || (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF') ? c : '\uFFFD'));
}
