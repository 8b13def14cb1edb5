using System.Net;
using System.Security.Cryptography;
using Davit.Conformance.Http;
using Davit.FileSystem;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

/// <summary>The HTTP conformance suite against the file-system store, plus what only a disk can show.</summary>
public class FileSystemHttpTests : HttpConformanceTests
{
    private readonly string root = Directory.CreateTempSubdirectory("davit-http-").FullName;
    private FileSystemStore? store;

    protected string RootFolder => root;

    protected override IDavStore CreateStore() => store = new FileSystemStore(new FileSystemStoreOptions { Root = root });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        store?.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Put_Stores_A_Plain_File_With_The_Same_Bytes_Under_The_Root()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        await Client.SendAsync("MKCOL", "docs/");
        (await Client.PutAsync("docs/r%C3%A9sum%C3%A9%20%231.bin", bytes)).EnsureSuccessStatusCode();
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(root, "docs", "résumé #1.bin")));
    }

    [Fact]
    public async Task Files_Put_On_Disk_By_Hand_Are_Served()
    {
        await File.WriteAllTextAsync(Path.Combine(root, "by-hand.txt"), "from disk");
        Assert.Equal("from disk", await Client.GetStringAsync("by-hand.txt"));
    }

    [Fact]
    public async Task The_Metadata_Folder_Is_Never_Reachable()
    {
        await Client.PutAsync("x.txt", "x");
        Assert.True(Directory.Exists(Path.Combine(root, ".davit")));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(".davit/davit.db")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PropfindAsync(".davit/", "0")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", ".davit/")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Created, (await Client.PutAsync(".davit/davit.db", "overwrite")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync(".davit/")).StatusCode);
        Assert.DoesNotContain(Href(".davit/"), Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("", "1"))));
        await Client.PutAsync("y.txt", "y");
        Assert.NotEqual(HttpStatusCode.Created, (await Client.SendAsync("COPY", "y.txt", null, ("Destination", Href(".davit/y.txt")))).StatusCode);
        Assert.NotEqual(HttpStatusCode.Created, (await Client.SendAsync("MOVE", "y.txt", null, ("Destination", Href(".davit")))).StatusCode);
        Assert.True(File.Exists(Path.Combine(root, ".davit", "davit.db")));
    }

    [Fact]
    public async Task A_Symlink_Pointing_Outside_The_Root_Is_Not_Served()
    {
        var outside = Directory.CreateTempSubdirectory("davit-outside-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "secret");
            File.CreateSymbolicLink(Path.Combine(root, "leak.txt"), Path.Combine(outside, "secret.txt"));
            Directory.CreateSymbolicLink(Path.Combine(root, "leakdir"), outside);
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("leak.txt")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("leakdir/secret.txt")).StatusCode);
            Assert.NotEqual(HttpStatusCode.Created, (await Client.PutAsync("leakdir/planted.txt", "x")).StatusCode);
            Assert.False(File.Exists(Path.Combine(outside, "planted.txt")));
            var hrefs = Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("", "1")));
            Assert.DoesNotContain(Href("leak.txt"), hrefs);
            Assert.DoesNotContain(Href("leakdir/"), hrefs);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Properties_Survive_A_Restart_Of_The_Server()
    {
        await Client.PutAsync("persist.txt", "x");
        await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", "persist.txt", Dav.Xml(
            "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><Z:k xmlns:Z=\"urn:z\">kept</Z:k></D:prop></D:set></D:propertyupdate>")));
        await Server.DisposeAsync();
        store!.Dispose();

        await using var restarted = await DavTestServer.StartAsync(store = new FileSystemStore(new FileSystemStoreOptions { Root = root }), Prefix);
        var ms = await Dav.MultistatusAsync(await restarted.Client.PropfindAsync("persist.txt", "0",
            "<D:propfind xmlns:D=\"DAV:\"><D:prop><Z:k xmlns:Z=\"urn:z\"/></D:prop></D:propfind>"));
        Assert.Equal("kept", Dav.Property(ms, restarted.Prefix + "/persist.txt", System.Xml.Linq.XName.Get("k", "urn:z"))?.Property.Value);
        await restarted.DisposeAsync();
        Server = await DavTestServer.StartAsync(store, Prefix);
    }
}

/// <summary>The same, mounted under a prefix.</summary>
public sealed class FileSystemHttpUnderPrefixTests : FileSystemHttpTests
{
    protected override string Prefix => "/dav";
}
