using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Davit.Conformance.Http;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem.Tests;

/// <summary>
/// What people and programs do to the served folder and its database behind the server's back: names XML cannot
/// carry, names that are not UTF-8, database rows edited by hand. The folder stays listable by every listing, and no
/// 207 ends halfway.
/// </summary>
public sealed class OutsideEditsTests : IAsyncLifetime
{
    private static readonly XNamespace D = Dav.D;
    private readonly string root = Directory.CreateTempSubdirectory("davit-outside-").FullName;
    private FileSystemStore store = null!;
    private DavTestServer server = null!;

    private HttpClient Client => server.Client;

    private string Database => Path.Combine(root, ".davit", "davit.db");

    public async Task InitializeAsync()
    {
        store = new FileSystemStore(new FileSystemStoreOptions { Root = root });
        server = await DavTestServer.StartAsync(store);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        store.Dispose();
        if (OperatingSystem.IsWindows())
        {
            Directory.Delete(root, recursive: true);
            return;
        }

        // .NET cannot name an entry that is not UTF-8 to delete it; rm can.
        using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", "--", root]))!;
        await rm.WaitForExitAsync();
    }

    [Fact]
    public async Task Names_Made_On_Disk_That_Xml_Cannot_Carry_Stay_Listable_Everywhere()
    {
        Directory.CreateDirectory(Path.Combine(root, "docs", "sub\u0001dir"));
        var names = new Dictionary<string, string>
        {
            ["a\u0017b.txt"] = "a%17b.txt",
            ["\uFFFE"] = "%EF%BF%BE",
            ["esc\u001B[31mred"] = "esc%1B%5B31mred",
            ["plain.txt"] = "plain.txt",
        };
        foreach (var name in names.Keys)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "docs", name), "content of " + name);
        }

        // Many members, so that the 207 is sent in several pieces: a failure would come after the status line.
        for (var i = 0; i < 400; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "docs", $"filler-{i:D3}-\u0002.txt"), "x");
        }

        foreach (var body in new string?[] { null, "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname/></D:prop></D:propfind>" })
        {
            var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("docs/", "1", body));
            var hrefs = Dav.Hrefs(listing);
            Assert.Equal(1 + names.Count + 1 + 400, hrefs.Count);
            Assert.Contains("/docs/sub%01dir/", hrefs);
            foreach (var (name, encoded) in names)
            {
                Assert.Contains("/docs/" + encoded, hrefs);
                Assert.Equal(name.Replace('\u0017', '\uFFFD').Replace('\uFFFE', '\uFFFD').Replace('\u001B', '\uFFFD'),
                    Dav.Property(listing, "/docs/" + encoded, D + "displayname")!.Value.Property.Value);
            }
        }

        foreach (var (name, encoded) in names)
        {
            Assert.Equal("content of " + name, await Client.GetStringAsync("docs/" + encoded));
        }

        var html = await Client.GetStringAsync("docs/");
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs/a%17b.txt\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs/sub%01dir/\"", html, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(await Client.GetByteArrayAsync("docs/?davit-listing"));
        var listed = json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToHashSet();
        Assert.Equal(1 + names.Count + 400, listed.Count);
        Assert.Contains("a\u0017b.txt", listed);

        Assert.Equal(HttpStatusCode.MultiStatus, (await Client.SendAsync("REPORT", "docs/", Dav.Xml("<i:upload-progress xmlns:i=\"ithit\"/>"))).StatusCode);
    }

    [Fact]
    public async Task A_Name_On_Disk_That_Is_Not_Utf8_Does_Not_Break_The_Listing()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS names are UTF-16
        }

        Directory.CreateDirectory(Path.Combine(root, "raw"));
        await File.WriteAllTextAsync(Path.Combine(root, "raw", "ok.txt"), "ok");

        // Bytes 0xFF 0xFE are no UTF-8; only a program that writes raw bytes can make such a name. .NET reads it with
        // U+FFFD in their place, which names nothing on disk: such entries are left out, file or folder.
        var made = Process.Start(new ProcessStartInfo("sh", ["-c", "printf x > \"$1/$(printf 'bad\\377\\376name')\" && mkdir \"$1/$(printf 'dir\\377')\"", "sh", Path.Combine(root, "raw")]))!;
        await made.WaitForExitAsync();
        Assert.Equal(0, made.ExitCode);
        Assert.Equal(3, Directory.GetFileSystemEntries(Path.Combine(root, "raw")).Length);

        var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("raw/", "1"));
        Assert.Equal(["/raw/", "/raw/ok.txt"], Dav.Hrefs(listing));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("raw/")).StatusCode);
        using var json = JsonDocument.Parse(await Client.GetByteArrayAsync("raw/?davit-listing"));
        Assert.Equal(["ok.txt"], json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Property_Rows_Edited_By_Hand_Never_Break_A_207()
    {
        await Client.PutAsync("a.txt", "a");
        await Client.PutAsync("b.txt", "b");
        await Client.SendAsync("PROPPATCH", "b.txt", Dav.Xml("<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><Z:ok xmlns:Z=\"urn:z\">fine</Z:ok></D:prop></D:set></D:propertyupdate>"));
        await ExecuteAsync(
            "INSERT INTO properties (path, name, xml) VALUES ('a.txt', '{urn:z}ref', '<ref xmlns=\"urn:z\">bell&#x7;</ref>');" +
            "INSERT INTO properties (path, name, xml) VALUES ('a.txt', '{urn:z}raw', '<raw xmlns=\"urn:z\">raw\u0001char</raw>');" +
            "INSERT INTO properties (path, name, xml) VALUES ('a.txt', '{urn:z}broken', 'not xml <at all');" +
            "INSERT INTO properties (path, name, xml) VALUES ('b.txt', '{urn:z}broken', '<broken');");

        foreach (var body in new string?[] { null, "<D:propfind xmlns:D=\"DAV:\"><D:prop><Z:ref xmlns:Z=\"urn:z\"/><Z:raw xmlns:Z=\"urn:z\"/><Z:broken xmlns:Z=\"urn:z\"/><Z:ok xmlns:Z=\"urn:z\"/></D:prop></D:propfind>" })
        {
            foreach (var depth in new[] { "1", "0" })
            {
                var listing = await Dav.MultistatusAsync(await Client.PropfindAsync(depth == "1" ? "" : "a.txt", depth, body));
                Assert.Equal("bell\uFFFD", Dav.Property(listing, "/a.txt", XName.Get("ref", "urn:z"))!.Value.Property.Value);
                Assert.Equal("raw\uFFFDchar", Dav.Property(listing, "/a.txt", XName.Get("raw", "urn:z"))!.Value.Property.Value);
                var broken = Dav.Property(listing, "/a.txt", XName.Get("broken", "urn:z"));
                Assert.True(broken is null || broken.Value.Status.Contains("404", StringComparison.Ordinal));
                if (depth == "1")
                {
                    Assert.Equal("fine", Dav.Property(listing, "/b.txt", XName.Get("ok", "urn:z"))!.Value.Property.Value);
                }
            }
        }

        // A client can still remove the broken row by name.
        var removed = await Client.SendAsync("PROPPATCH", "a.txt", Dav.Xml("<D:propertyupdate xmlns:D=\"DAV:\"><D:remove><D:prop><Z:broken xmlns:Z=\"urn:z\"/></D:prop></D:remove></D:propertyupdate>"));
        Assert.Equal(HttpStatusCode.MultiStatus, removed.StatusCode);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM properties WHERE path = 'a.txt' AND name = '{urn:z}broken';"));
    }

    [Fact]
    public async Task Lock_Owners_Edited_By_Hand_Never_Break_A_207()
    {
        await Client.PutAsync("locked.txt", "x");
        var taken = await Client.SendAsync("LOCK", "locked.txt", Dav.Xml("<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>alice</D:owner></D:lockinfo>"));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        await ExecuteAsync("UPDATE locks SET owner_xml = '<D:owner xmlns:D=\"DAV:\">al&#x1;ice</D:owner>';");

        var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("", "1", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>"));
        Assert.Equal("al\uFFFDice", Assert.Single(listing.Descendants(D + "owner")).Value);

        await ExecuteAsync("UPDATE locks SET owner_xml = 'just <text';");
        listing = await Dav.MultistatusAsync(await Client.PropfindAsync("locked.txt", "0", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>"));
        Assert.Equal("just <text", Assert.Single(listing.Descendants(D + "owner")).Value);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
