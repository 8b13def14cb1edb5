using System.Net;
using System.Xml.Linq;
using Davit.Conformance.Http;

namespace Davit.FileSystem.Tests;

/// <summary>
/// Reads outside a unit of work are answered from what the store read at the database's current version
/// (<see cref="ReadCache"/>). Two servers over one folder, as two processes: each test first makes node B read (and so
/// keep) an answer, then changes it through node A, and checks that B's very next request shows the change.
/// </summary>
public sealed class ReadCacheTests : IAsyncLifetime
{
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>cache test</D:owner></D:lockinfo>";
    private static readonly XNamespace D = "DAV:";
    private static readonly XName Color = XName.Get("color", "urn:z");

    private readonly string root = Directory.CreateTempSubdirectory("davit-read-cache-").FullName;
    private FileSystemStore storeA = null!;
    private FileSystemStore storeB = null!;
    private DavTestServer nodeA = null!;
    private DavTestServer nodeB = null!;

    public async Task InitializeAsync()
    {
        storeA = new FileSystemStore(new FileSystemStoreOptions { Root = root });
        storeB = new FileSystemStore(new FileSystemStoreOptions { Root = root });
        nodeA = await DavTestServer.StartAsync(storeA);
        nodeB = await DavTestServer.StartAsync(storeB);
    }

    public async Task DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
        storeA.Dispose();
        storeB.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_Property_Set_And_Removed_On_One_Node_Shows_On_The_Others_Next_Propfind()
    {
        Assert.Equal(HttpStatusCode.Created, (await nodeA.Client.PutAsync("a.txt", "a")).StatusCode);
        Assert.Null(await ColorOnBAsync());
        Assert.Null(await ColorOnBAsync()); // the second read is the one answered from what the first kept

        Assert.Equal(HttpStatusCode.MultiStatus, (await nodeA.Client.SendAsync("PROPPATCH", "a.txt", Patch("<D:set><D:prop><Z:color>red</Z:color></D:prop></D:set>"))).StatusCode);
        Assert.Equal("red", await ColorOnBAsync());
        Assert.Equal("red", await ColorOnBAsync());

        Assert.Equal(HttpStatusCode.MultiStatus, (await nodeA.Client.SendAsync("PROPPATCH", "a.txt", Patch("<D:set><D:prop><Z:color>blue</Z:color></D:prop></D:set>"))).StatusCode);
        Assert.Equal("blue", await ColorOnBAsync());

        Assert.Equal(HttpStatusCode.MultiStatus, (await nodeA.Client.SendAsync("PROPPATCH", "a.txt", Patch("<D:remove><D:prop><Z:color/></D:prop></D:remove>"))).StatusCode);
        Assert.Null(await ColorOnBAsync());
    }

    [Fact]
    public async Task A_Property_Written_On_The_Same_Node_Shows_On_Its_Next_Propfind()
    {
        Assert.Equal(HttpStatusCode.Created, (await nodeB.Client.PutAsync("a.txt", "a")).StatusCode);
        Assert.Null(await ColorOnBAsync());

        Assert.Equal(HttpStatusCode.MultiStatus, (await nodeB.Client.SendAsync("PROPPATCH", "a.txt", Patch("<D:set><D:prop><Z:color>red</Z:color></D:prop></D:set>"))).StatusCode);
        Assert.Equal("red", await ColorOnBAsync());

        // Moved away, the property goes with the file; what was kept for the old path is not served.
        Assert.Equal(HttpStatusCode.Created, (await nodeA.Client.SendAsync("MOVE", "a.txt", null, ("Destination", nodeA.Url("b.txt").ToString()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nodeB.Client.PropfindAsync("a.txt", "0")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await nodeB.Client.PutAsync("a.txt", "new")).StatusCode);
        Assert.Null(await ColorOnBAsync());
    }

    [Fact]
    public async Task A_Lock_Taken_On_One_Node_Is_Shown_And_Enforced_By_The_Other_Right_After_It_Saw_None()
    {
        Assert.Equal(HttpStatusCode.Created, (await nodeA.Client.PutAsync("a.txt", "before")).StatusCode);
        Assert.Empty(await ActiveLocksOnBAsync());
        Assert.Empty(await ActiveLocksOnBAsync());

        var locked = await nodeA.Client.SendAsync("LOCK", "a.txt", Dav.Xml(LockBody), ("Timeout", "Second-600"));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var token = locked.Headers.GetValues("Lock-Token").Single();

        var shown = Assert.Single(await ActiveLocksOnBAsync());
        Assert.Equal(token.Trim('<', '>'), shown.Element(D + "locktoken")?.Element(D + "href")?.Value);
        Assert.Equal((HttpStatusCode)423, (await nodeB.Client.PutAsync("a.txt", "without the token")).StatusCode);
        Assert.Equal("before", await nodeB.Client.GetStringAsync("a.txt"));

        Assert.Equal(HttpStatusCode.NoContent, (await nodeA.Client.SendAsync("UNLOCK", "a.txt", null, ("Lock-Token", token))).StatusCode);
        Assert.Empty(await ActiveLocksOnBAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await nodeB.Client.PutAsync("a.txt", "after")).StatusCode);
        Assert.Equal("after", await nodeA.Client.GetStringAsync("a.txt"));
    }

    [Fact]
    public async Task A_Lock_Taken_On_One_Node_Makes_The_Others_Lock_On_The_Same_File_Fail()
    {
        Assert.Equal(HttpStatusCode.Created, (await nodeA.Client.PutAsync("a.txt", "a")).StatusCode);
        Assert.Empty(await ActiveLocksOnBAsync());

        Assert.Equal(HttpStatusCode.OK, (await nodeA.Client.SendAsync("LOCK", "a.txt", Dav.Xml(LockBody), ("Timeout", "Second-600"))).StatusCode);

        Assert.Equal((HttpStatusCode)423, (await nodeB.Client.SendAsync("LOCK", "a.txt", Dav.Xml(LockBody), ("Timeout", "Second-600"))).StatusCode);
    }

    [Fact]
    public async Task A_Read_With_An_If_Header_On_One_Node_Holds_For_A_Lock_Taken_On_The_Other_Right_After_It_Saw_None()
    {
        Assert.Equal(HttpStatusCode.Created, (await nodeA.Client.PutAsync("a.txt", "a")).StatusCode);
        Assert.Empty(await ActiveLocksOnBAsync());
        Assert.Empty(await ActiveLocksOnBAsync());

        var locked = await nodeA.Client.SendAsync("LOCK", "a.txt", Dav.Xml(LockBody), ("Timeout", "Second-600"));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var token = locked.Headers.GetValues("Lock-Token").Single();

        // A GET is a reading request: its If header is judged on the locks the store reads for that request.
        var held = await nodeB.Client.SendAsync("GET", "a.txt", null, ("If", $"({token})"));
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Equal("a", await held.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await nodeA.Client.SendAsync("UNLOCK", "a.txt", null, ("Lock-Token", token))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await nodeB.Client.SendAsync("GET", "a.txt", null, ("If", $"({token})"))).StatusCode);
    }

    private static string Patch(string body) => Dav.Xml($"<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\">{body}</D:propertyupdate>");

    private async Task<string?> ColorOnBAsync()
    {
        var props = await Dav.MultistatusAsync(await nodeB.Client.PropfindAsync("a.txt", "0"));
        return Dav.Property(props, nodeB.Prefix + "/a.txt", Color)?.Property.Value;
    }

    private async Task<List<XElement>> ActiveLocksOnBAsync()
    {
        var props = await Dav.MultistatusAsync(await nodeB.Client.PropfindAsync("a.txt", "0"));
        var discovery = Dav.Property(props, nodeB.Prefix + "/a.txt", D + "lockdiscovery");
        Assert.NotNull(discovery);
        return [.. discovery.Value.Property.Elements(D + "activelock")];
    }
}
