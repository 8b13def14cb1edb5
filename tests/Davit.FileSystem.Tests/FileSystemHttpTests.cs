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
    public async Task A_Chain_As_Deep_As_The_Longest_Path_Is_Listed_Copied_Moved_And_Deleted()
    {
        // Folders named "d" inside each other up to the longest path the operating system takes (PATH_MAX on Linux,
        // 4,096 bytes: some 2,000 levels here). The top levels are made on disk, the last ones by MKCOL.
        var levels = (PathResolver.MaxPathBytes - System.Text.Encoding.UTF8.GetByteCount(root) - "/c".Length) / "/d".Length;
        var chain = "c/" + string.Concat(Enumerable.Repeat("d/", levels));
        Directory.CreateDirectory(Path.Combine(root, chain[..^("d/".Length * 20)]));
        for (var level = 19; level >= 0; level--)
        {
            Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", chain[..^("d/".Length * level)])).StatusCode);
        }

        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.SendAsync("MKCOL", chain + "d/")).StatusCode);
        Assert.Equal([Href(chain)], Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync(chain, "0"))));
        Assert.Equal([Href("c/"), Href("c/d/")], Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("c/", "1"))));

        var copy = await Client.SendAsync("COPY", "c/", null, ("Destination", Href("k/")), ("Depth", "infinity"));
        Assert.Equal(HttpStatusCode.Created, copy.StatusCode);
        Assert.Equal([Href("k" + chain[1..])], Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("k" + chain[1..], "0"))));

        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MOVE", "k/", null, ("Destination", Href("m/")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PropfindAsync("k/", "0")).StatusCode);
        Assert.Equal([Href("m" + chain[1..])], Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("m" + chain[1..], "0"))));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("m/")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("c/")).StatusCode);
        Assert.Equal([Href("")], Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("", "1"))));
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
    public async Task No_Upload_Can_Start_Or_Be_Reported_Under_The_Metadata_Folder()
    {
        var big = RandomNumberGenerator.GetBytes(2_000_000);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.PutAsync(".davit", big)).StatusCode);
        var segment = Dav.Request("PUT", ".davit/up.bin");
        segment.Content = new ByteArrayContent(big, 0, 1000);
        segment.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes 0-999/{big.Length}");
        var status = (int)(await Client.SendAsync(segment)).StatusCode;
        Assert.True(status is 403 or 404 or 409, $"A segment under .davit got {status}.");

        var report = await Dav.MultistatusAsync(await Client.SendAsync("REPORT", "", "<i:upload-progress xmlns:i=\"ithit\"/>"));
        Assert.Empty(Dav.Hrefs(report));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, ".davit", "uploads")));
        Assert.False(File.Exists(Path.Combine(root, ".davit", "up.bin")));
    }

    [Fact]
    public async Task Names_And_Paths_Longer_Than_The_Disk_Holds_Are_414_And_Create_Nothing()
    {
        var tooLong = new string('n', 256);
        var longest = new string('n', 255);
        var lockBody = Dav.Xml("<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>");
        await Client.PutAsync("src.txt", "source");

        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.PutAsync(tooLong, "x")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.SendAsync("MKCOL", tooLong)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.SendAsync("LOCK", tooLong, lockBody)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.SendAsync("COPY", "src.txt", null, ("Destination", Href(tooLong)))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.SendAsync("MOVE", "src.txt", null, ("Destination", Href(tooLong)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync(longest, "fits")).StatusCode);

        // Nested folders up to the 4,095-byte limit of a path on disk are fine; one more level is 414.
        var path = "";
        while (root.Length + path.Length + 201 <= 4095)
        {
            path += "/" + new string('d', 200);
            Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", path.TrimStart('/'))).StatusCode);
        }

        var deeper = path.TrimStart('/') + "/" + new string('d', 200);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.SendAsync("MKCOL", deeper)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await Client.PutAsync(deeper, "x")).StatusCode);

        Assert.Equal("source", await Client.GetStringAsync("src.txt"));
        Assert.Equal("fits", await Client.GetStringAsync(longest));
        var names = Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order().ToList();
        Assert.Equal([".davit", new string('d', 200), longest, "src.txt"], names);
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
