using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Davit.Server.Accounts;
using Davit.Server.Tests;
using Davit.Server.Tests.Accounts;

namespace Davit.PostgreSql.Tests;

/// <summary>
/// The real server with a users file over the PostgreSQL store: a read-only user changes nothing, and a user confined
/// to a home folder reaches nothing outside it, by any path form. What is stored is compared through an
/// administrator's eyes (every href, ETag and body) before and after.
/// </summary>
public sealed class AccountsOnPostgresTests : IAsyncLifetime
{
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";
    private static readonly XNamespace D = "DAV:";
    private readonly string usersFile = Path.Combine(Path.GetTempPath(), $"davit-pg-users-{Guid.NewGuid():N}.json");
    private PostgresDatabase database = null!;

    public async Task InitializeAsync() => database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        File.Delete(usersFile);
    }

    [Fact]
    public async Task A_Read_Only_User_Gets_403_On_Every_Write_Method_And_Nothing_Stored_Changes()
    {
        TestUsers.Write(usersFile, TestUsers.User("writer", "w-pass"), TestUsers.User("reader", "r-pass", AccountAccess.ReadOnly));
        await using var server = await StartAsync();
        using var writer = TestUsers.Client(server.BaseAddress, "writer", "w-pass");
        using var reader = TestUsers.Client(server.BaseAddress, "reader", "r-pass");
        Assert.Equal(HttpStatusCode.Created, (await writer.PutAsync("doc.txt", new StringContent("v1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await writer.SendAsync("MKCOL", "folder/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await writer.PutAsync("folder/inner.txt", new StringContent("in"))).StatusCode);
        var locked = await writer.SendAsync("LOCK", "folder/inner.txt", LockBody);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var token = locked.Headers.GetValues("Lock-Token").Single();
        var before = await SnapshotAsync(writer);

        var statuses = await TestUsers.TryEveryWriteAsync(reader, token);

        Assert.All(statuses, s => Assert.True(s.Value == HttpStatusCode.Forbidden, $"{s.Key}: {s.Value}"));
        Assert.Equal(before, await SnapshotAsync(writer));
        Assert.Equal((HttpStatusCode)423, (await writer.PutAsync("folder/inner.txt", new StringContent("no token"))).StatusCode);
        Assert.Equal("v1", await reader.GetStringAsync("doc.txt"));
    }

    [Fact]
    public async Task A_User_Confined_To_A_Home_Folder_Cannot_Reach_Outside_It_By_Any_Path_Form()
    {
        TestUsers.Write(usersFile, TestUsers.User("admin", "x-pass"), TestUsers.User("alice", "a-pass", home: "homes/alice"));
        await using var server = await StartAsync();
        using var admin = TestUsers.Client(server.BaseAddress, "admin", "x-pass");
        using var alice = TestUsers.Client(server.BaseAddress, "alice", "a-pass");
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("top.txt", new StringContent("top secret"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync("MKCOL", "homes/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync("MKCOL", "homes/bob/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("homes/bob/bob.txt", new StringContent("bob's"))).StatusCode);

        // What alice sees: her home (made on first use), as the root. (Only a Destination's path counts, never its
        // host, since behind a proxy clients name the proxy: "http://elsewhere.example/x" is her own "/x".)
        Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync("mine.txt", new StringContent("alice's"))).StatusCode);
        Assert.Equal("alice's", await admin.GetStringAsync("homes/alice/mine.txt"));
        var listing = await (await alice.SendAsync("PROPFIND", "", null, ("Depth", "1"))).Content.ReadAsStringAsync();
        Assert.Contains("<D:href>/mine.txt</D:href>", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("homes", listing, StringComparison.Ordinal);
        var before = await SnapshotAsync(admin);

        var auth = "Authorization: " + TestUsers.Header("alice", "a-pass");
        string[] targets =
        [
            "/../top.txt", "/%2e%2e/top.txt", "/%2E%2e/homes/bob/bob.txt", "/..%2ftop.txt", "/..%2Fhomes%2Fbob%2Fbob.txt",
            "/..%5ctop.txt", "/..\\top.txt", "/./../top.txt", "//../top.txt", "/x/../../top.txt",
            "/%252e%252e/top.txt", "/%c0%ae%c0%ae/top.txt", "/..%00/top.txt", "/homes/bob/bob.txt", "http://127.0.0.1/../top.txt",
        ];
        foreach (var target in targets)
        {
            var get = await TestUsers.SendRawAsync(server.Port, $"GET {target} HTTP/1.1\r\n{auth}");
            Assert.True(get is 400 or 404, $"GET {target} answered {get}");
            var put = await TestUsers.SendRawAsync(server.Port, $"PUT {target} HTTP/1.1\r\n{auth}\r\nContent-Length: 5", "owned"u8.ToArray());
            Assert.True(put is 400 or 404 or 409, $"PUT {target} answered {put}");
            var delete = await TestUsers.SendRawAsync(server.Port, $"DELETE {target} HTTP/1.1\r\n{auth}");
            Assert.True(delete is 400 or 404, $"DELETE {target} answered {delete}");
        }

        string[] destinations =
        [
            "/../top.txt", "/%2e%2e/top.txt", "/..%2ftop.txt", $"http://127.0.0.1:{server.Port}/%2e%2e/homes/bob/stolen.txt",
            "/homes/bob/stolen.txt",
        ];
        foreach (var destination in destinations)
        {
            foreach (var method in new[] { "COPY", "MOVE" })
            {
                var status = (int)(await alice.SendAsync(method, "mine.txt", null, ("Destination", destination), ("Overwrite", "T"))).StatusCode;
                // "/homes/bob/stolen.txt" is, for alice, a path inside her own home: its parent is missing there (409).
                Assert.True(status is 400 or 404 or 409 or 502, $"{method} to {destination} answered {status}");
            }
        }

        Assert.Equal(before, await SnapshotAsync(admin));
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.DeleteAsync("")).StatusCode);
    }

    [Fact]
    public async Task Rclone_Curl_And_Cadaver_Do_Their_Usual_Work_With_A_Password()
    {
        TestUsers.Write(usersFile, TestUsers.User("alice", "open sesame"), TestUsers.User("carol", "netrc-password"));
        await using var server = await StartAsync();
        using var alice = TestUsers.Client(server.BaseAddress, "alice", "open sesame");
        var temp = Directory.CreateTempSubdirectory("davit-pg-clients-").FullName;
        try
        {
            // rclone: a tree up, checked, back down, purged; a wrong password is refused.
            var up = Path.Combine(temp, "up");
            Directory.CreateDirectory(Path.Combine(up, "sub"));
            await File.WriteAllTextAsync(Path.Combine(up, "a.txt"), "alpha");
            var big = RandomNumberGenerator.GetBytes(2_000_000);
            await File.WriteAllBytesAsync(Path.Combine(up, "sub", "b.bin"), big);
            var timeout = TimeSpan.FromSeconds(120);
            var obscured = (await Conformance.Http.ExternalTool.RunAsync("rclone", ["obscure", "open sesame"], timeout)).Output.Trim();
            string[] remote = ["--webdav-url", server.BaseAddress.AbsoluteUri, "--webdav-user", "alice", "--webdav-pass", obscured, "--config", Path.Combine(temp, "rclone.conf")];
            foreach (var args in new[] { new[] { "copy", up, ":webdav:tree" }, ["check", up, ":webdav:tree"], ["copy", ":webdav:tree", Path.Combine(temp, "down")] })
            {
                var (code, output) = await Conformance.Http.ExternalTool.RunAsync("rclone", [.. args, .. remote], timeout);
                Assert.True(code == 0, $"rclone {string.Join(' ', args)}: exit {code}: {output}");
            }

            Assert.Equal("alpha", await alice.GetStringAsync("tree/a.txt"));
            Assert.Equal(big, await alice.GetByteArrayAsync("tree/sub/b.bin"));
            Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(temp, "down", "sub", "b.bin")));
            Assert.Equal(0, (await Conformance.Http.ExternalTool.RunAsync("rclone", ["purge", ":webdav:tree", .. remote], timeout)).ExitCode);
            Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("tree/a.txt")).StatusCode);
            var wrong = (await Conformance.Http.ExternalTool.RunAsync("rclone", ["obscure", "wrong"], timeout)).Output.Trim();
            var refused = await Conformance.Http.ExternalTool.RunAsync("rclone",
                ["lsf", ":webdav:", "--webdav-url", server.BaseAddress.AbsoluteUri, "--webdav-user", "alice", "--webdav-pass", wrong, "--config", Path.Combine(temp, "rclone.conf")], timeout);
            Assert.NotEqual(0, refused.ExitCode);

            // curl: up, listed, down, moved, deleted with -u; a wrong password gets 401 and writes nothing.
            var local = Path.Combine(temp, "local.bin");
            await File.WriteAllBytesAsync(local, big);
            var url = server.BaseAddress.AbsoluteUri;
            foreach (var args in new[]
            {
                new[] { "-T", local, url + "curl.bin" },
                ["-X", "PROPFIND", "-H", "Depth: 1", "-o", Path.Combine(temp, "listing.xml"), url],
                ["-o", Path.Combine(temp, "curl-down.bin"), url + "curl.bin"],
                ["-X", "MOVE", "-H", $"Destination: {url}curl-moved.bin", url + "curl.bin"],
            })
            {
                var (code, output) = await Conformance.Http.ExternalTool.RunAsync("curl", ["-sS", "-f", "-u", "alice:open sesame", .. args], timeout);
                Assert.True(code == 0, $"curl {string.Join(' ', args)}: exit {code}: {output}");
            }

            Assert.Contains("/curl.bin", await File.ReadAllTextAsync(Path.Combine(temp, "listing.xml")), StringComparison.Ordinal);
            Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(temp, "curl-down.bin")));
            Assert.Equal(big, await alice.GetByteArrayAsync("curl-moved.bin"));
            var denied = await Conformance.Http.ExternalTool.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", "alice:wrong", "-T", local, url + "x.bin"], timeout);
            Assert.Equal("401", denied.Output.Trim());
            Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("x.bin")).StatusCode);

            // cadaver, logging in from a .netrc: a whole session, checked through another user's eyes.
            var home = Path.Combine(temp, "home");
            Directory.CreateDirectory(home);
            var netrc = Path.Combine(home, ".netrc");
            await File.WriteAllTextAsync(netrc, "machine 127.0.0.1\nlogin carol\npassword netrc-password\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            await File.WriteAllTextAsync(Path.Combine(temp, "local.txt"), "from cadaver\n");
            var script = Path.Combine(temp, "script.sh");
            await File.WriteAllTextAsync(script, $"""
                printf 'mkcol d\nput local.txt d/x.txt\nls d\nget d/x.txt out.txt\nmove d/x.txt d/y.txt\nlock d/y.txt\nunlock d/y.txt\npropset d/y.txt color red\npropget d/y.txt color\ncopy d/y.txt kept.txt\ndelete d/y.txt\nquit\n' | HOME='{home}' cadaver '{server.BaseAddress.AbsoluteUri}'
                """);
            var session = await Conformance.Http.ExternalTool.RunAsync("sh", [script], timeout, workingDirectory: temp);
            Assert.True(session.ExitCode == 0, session.Output);
            Assert.DoesNotContain("failed", session.Output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Value of color is: red", session.Output, StringComparison.Ordinal);
            Assert.Equal("from cadaver\n", await File.ReadAllTextAsync(Path.Combine(temp, "out.txt")));
            Assert.Equal("from cadaver\n", await alice.GetStringAsync("kept.txt"));
            Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("d/y.txt")).StatusCode);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private Task<ServerProcess> StartAsync() =>
        ServerProcess.StartAsync("--store", "postgres", "--connection-string", database.ConnectionString, "--content-cache", database.CacheFolder, "--users", usersFile, "--Davit:Engine:AllowInfiniteDepthPropfind", "true");

    // Every href below the root with its ETag (folders: none) and the SHA-256 of its body, as the given client sees them.
    private static async Task<SortedDictionary<string, string>> SnapshotAsync(HttpClient client)
    {
        var response = await client.SendAsync("PROPFIND", "", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getetag/><D:resourcetype/></D:prop></D:propfind>", ("Depth", "infinity"));
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(D + "response"))
        {
            var href = item.Element(D + "href")!.Value;
            var folder = item.Descendants(D + "collection").Any();
            var etag = item.Descendants(D + "getetag").FirstOrDefault()?.Value ?? string.Empty;
            var body = folder ? string.Empty : Convert.ToHexString(SHA256.HashData(await client.GetByteArrayAsync(href)));
            entries[href] = $"{etag} {body}";
        }

        return entries;
    }
}
