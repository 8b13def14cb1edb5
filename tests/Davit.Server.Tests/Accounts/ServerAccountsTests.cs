using System.Net;
using Davit.Server.Accounts;
using Davit.Storage;

namespace Davit.Server.Tests.Accounts;

/// <summary>The real server with a users file over the file-system store: what users see, and what stays on disk.</summary>
public sealed class ServerAccountsTests
{
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";

    [Fact]
    public async Task A_Read_Only_User_Gets_403_On_Every_Write_Method_And_Nothing_On_Disk_Changes()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        Directory.CreateDirectory(Path.Combine(root, "folder"));
        await File.WriteAllTextAsync(Path.Combine(root, "doc.txt"), "v1");
        await File.WriteAllTextAsync(Path.Combine(root, "folder", "inner.txt"), "in");
        var users = TestUsers.Write(temp.Combine("users.json"),
            TestUsers.User("writer", "w-pass"), TestUsers.User("reader", "r-pass", AccountAccess.ReadOnly));
        await using var server = await ServerProcess.StartAsync("--root", root, "--users", users);
        using var writer = TestUsers.Client(server.BaseAddress, "writer", "w-pass");
        using var reader = TestUsers.Client(server.BaseAddress, "reader", "r-pass");
        var locked = await writer.SendAsync("LOCK", "folder/inner.txt", LockBody);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var token = locked.Headers.GetValues("Lock-Token").Single();
        var before = TestUsers.Snapshot(root);

        var statuses = await TestUsers.TryEveryWriteAsync(reader, token);

        Assert.All(statuses, s => Assert.True(s.Value == HttpStatusCode.Forbidden, $"{s.Key}: {s.Value}"));
        Assert.Equal(before, TestUsers.Snapshot(root));
        var props = await (await writer.SendAsync("PROPFIND", "doc.txt", null, ("Depth", "0"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("urn:x", props, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)423, (await writer.PutAsync("folder/inner.txt", new StringContent("no token"))).StatusCode);

        // The reader reads; the denials are logged with the user.
        Assert.Equal("v1", await reader.GetStringAsync("doc.txt"));
        Assert.True(await server.WaitForOutputAsync("Access denied to reader: PUT needs WriteContent on /doc.txt", TimeSpan.FromSeconds(5)), server.Output);
    }

    [Fact]
    public async Task A_User_Confined_To_A_Home_Folder_Cannot_Reach_Outside_It_By_Any_Path_Form()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(Path.Combine(root, "homes", "bob"));
        Directory.CreateDirectory(Path.Combine(root, "homes", "alice"));
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(root, "top.txt"), "top secret");
        await File.WriteAllTextAsync(Path.Combine(root, "homes", "bob", "bob.txt"), "bob's");
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "outside");
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateSymbolicLink(Path.Combine(root, "homes", "alice", "escape"), outside);
            File.CreateSymbolicLink(Path.Combine(root, "homes", "alice", "link.txt"), Path.Combine(outside, "secret.txt"));
        }

        var users = TestUsers.Write(temp.Combine("users.json"), TestUsers.User("alice", "a-pass", home: "homes/alice"));
        await using var server = await ServerProcess.StartAsync("--root", root, "--users", users, "--prefix", "/dav");
        using var alice = TestUsers.Client(server.BaseAddress, "alice", "a-pass");
        var auth = "Authorization: " + TestUsers.Header("alice", "a-pass");
        var before = Snapshot(root, outside);

        // What alice sees: her home, as the root, without the links that lead out of the store.
        Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync("dav/mine.txt", new StringContent("alice's"))).StatusCode);
        Assert.Equal("alice's", await File.ReadAllTextAsync(Path.Combine(root, "homes", "alice", "mine.txt")));
        var listing = await (await alice.SendAsync("PROPFIND", "dav/", null, ("Depth", "1"))).Content.ReadAsStringAsync();
        Assert.Contains("<D:href>/dav/mine.txt</D:href>", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("homes", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("escape", listing, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("dav/link.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("dav/escape/secret.txt")).StatusCode);
        before = Snapshot(root, outside);

        string[] targets =
        [
            "/dav/../top.txt", "/dav/%2e%2e/top.txt", "/dav/%2E%2e/homes/bob/bob.txt", "/dav/..%2ftop.txt", "/dav/..%2Fhomes%2Fbob%2Fbob.txt",
            "/dav/..%5ctop.txt", "/dav/..\\top.txt", "/dav/./../top.txt", "/dav//../top.txt", "/dav/x/../../top.txt",
            "/dav/%252e%252e/top.txt", "/dav/%c0%ae%c0%ae/top.txt", "/dav/..%00/top.txt", "/top.txt", "/dav/homes/bob/bob.txt",
            "/dav/escape/secret.txt", "/dav/escape/../../top.txt", "http://127.0.0.1/dav/../top.txt",
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
            "/dav/../top.txt", "/dav/%2e%2e/top.txt", "/dav/..%2ftop.txt", $"http://127.0.0.1:{server.Port}/dav/%2e%2e/homes/bob/stolen.txt",
            "/top.txt", "/homes/bob/stolen.txt", "http://elsewhere.example/top.txt", "/dav/homes/bob/stolen.txt", "/dav/escape/stolen.txt",
        ];
        foreach (var destination in destinations)
        {
            foreach (var method in new[] { "COPY", "MOVE" })
            {
                var status = (int)(await alice.SendAsync(method, "dav/mine.txt", null, ("Destination", destination), ("Overwrite", "T"))).StatusCode;
                Assert.True(status is 400 or 404 or 409 or 502, $"{method} to {destination} answered {status}");
            }
        }

        Assert.Equal(before, Snapshot(root, outside));
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.DeleteAsync("dav/")).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(root, "homes", "alice")));
    }

    [Fact]
    public async Task The_Users_Command_Makes_A_File_The_Running_Server_Picks_Up()
    {
        using var temp = new TempFolder();
        var users = temp.Combine("users.json");
        var added = await RunCommandAsync("first\n", "users", "add", "alice", "--password-stdin", "--users", users);
        Assert.Equal(0, added.ExitCode);
        Assert.DoesNotContain("first", await File.ReadAllTextAsync(users), StringComparison.Ordinal);

        await using var server = await ServerProcess.StartAsync("--root", temp.Combine("root"), "--users", users);
        Assert.True(await server.WaitForOutputAsync("1 user(s); anonymous access: off", TimeSpan.FromSeconds(5)), server.Output);
        using (var client = TestUsers.Client(server.BaseAddress, "alice", "first"))
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("a.txt", new StringContent("a"))).StatusCode);
        }

        Assert.Equal(0, (await RunCommandAsync("second\n", "users", "passwd", "alice", "--password-stdin", "--users", users)).ExitCode);
        Assert.Equal(0, (await RunCommandAsync("bobs\n", "users", "add", "bob", "--read-only", "--password-stdin", "--users", users)).ExitCode);

        // Picked up within a second or two: poll, bounded.
        using var bob = TestUsers.Client(server.BaseAddress, "bob", "bobs");
        var status = HttpStatusCode.Unauthorized;
        for (var i = 0; i < 50 && status != HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
            status = (await bob.GetAsync("a.txt")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
        using var oldPassword = TestUsers.Client(server.BaseAddress, "alice", "first");
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldPassword.GetAsync("a.txt")).StatusCode);
        using var newPassword = TestUsers.Client(server.BaseAddress, "alice", "second");
        Assert.Equal(HttpStatusCode.OK, (await newPassword.GetAsync("a.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PutAsync("b.txt", new StringContent("b"))).StatusCode);
        Assert.Contains("Failed login for user alice from 127.0.0.1", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_Read_Lets_Anyone_Read_And_Asks_Writers_For_A_Password()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "public.txt"), "for all");
        var users = TestUsers.Write(temp.Combine("users.json"), TestUsers.User("alice", "a-pass"));
        await using var server = await ServerProcess.StartAsync("--root", root, "--users", users, "--anonymous-read", "true");
        using var anonymous = server.CreateClient();

        Assert.Equal("for all", await anonymous.GetStringAsync("public.txt"));
        Assert.Equal(HttpStatusCode.MultiStatus, (await anonymous.SendAsync("PROPFIND", "", null, ("Depth", "1"))).StatusCode);
        var put = await anonymous.PutAsync("public.txt", new StringContent("defaced"));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.Equal("Basic realm=\"Davit\", charset=\"UTF-8\"", put.Headers.WwwAuthenticate.ToString());
        Assert.Equal("for all", await File.ReadAllTextAsync(Path.Combine(root, "public.txt")));
    }

    [Theory]
    [InlineData("missing", "there is no users file")]
    [InlineData("broken", "is not a valid users file")]
    [InlineData("anonymous", "AnonymousRead needs a users file")]
    public async Task A_Users_Problem_Stops_The_Server_Before_It_Listens(string problem, string message)
    {
        using var temp = new TempFolder();
        var users = temp.Combine("users.json");
        if (problem == "broken")
        {
            await File.WriteAllTextAsync(users, "{ \"users\": [ { \"name\": \"a\", \"password\": \"plain text\" } ] }");
        }

        string[] args = problem == "anonymous"
            ? ["--root", temp.Combine("root"), "--anonymous-read", "true", "--urls", "http://127.0.0.1:0"]
            : ["--root", temp.Combine("root"), "--users", users, "--urls", "http://127.0.0.1:0"];
        var (code, output) = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(30), args);
        Assert.Equal(2, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    private static SortedDictionary<string, string> Snapshot(string root, string outside)
    {
        var all = TestUsers.Snapshot(root);
        foreach (var (name, value) in TestUsers.Snapshot(outside))
        {
            all["outside/" + name] = value;
        }

        return all;
    }

    /// <summary>Runs the server's dll with <paramref name="args"/>, <paramref name="stdin"/> on its standard input.</summary>
    internal static async Task<(int ExitCode, string Output)> RunCommandAsync(string stdin, params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Davit.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
