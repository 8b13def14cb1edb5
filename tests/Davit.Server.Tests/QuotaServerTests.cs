using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Davit.Server.Accounts;
using Davit.Server.Tests.Accounts;
using Davit.Storage;

namespace Davit.Server.Tests;

/// <summary>
/// Quotas in the real server: a user's quota on their home folder from the users file, a folder quota from the
/// configuration, and the figures after a kill in the middle of a write.
/// </summary>
public sealed class QuotaServerTests
{
    private static readonly XNamespace D = "DAV:";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string QuotaPropfind =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:quota-used-bytes/><D:quota-available-bytes/></D:prop></D:propfind>";

    [Fact]
    public async Task A_Users_Home_Quota_And_A_Folder_Quota_Refuse_Writes_Over_Them_With_507_Whoever_Writes()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        var users = TestUsers.Write(temp.Combine("users.json"),
            TestUsers.User("alice", "a-pass", home: "homes/alice") with { QuotaBytes = 1000 },
            TestUsers.User("admin", "b-pass"));
        await using var server = await ServerProcess.StartAsync(
            "--root", root, "--users", users, "--Davit:Quotas:0:Path", "/shared", "--Davit:Quotas:0:Size", "2KB");
        using var alice = TestUsers.Client(server.BaseAddress, "alice", "a-pass");
        using var admin = TestUsers.Client(server.BaseAddress, "admin", "b-pass");

        // Alice's home is her root: the figures are on it.
        Assert.Equal((0L, 1000L), await QuotaAsync(alice, string.Empty));
        Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync("a.bin", new ByteArrayContent(Bytes(600)))).StatusCode);
        var refused = await alice.PutAsync("b.bin", new ByteArrayContent(Bytes(401)));
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.NotNull(XDocument.Parse(await refused.Content.ReadAsStringAsync()).Root!.Element(D + "quota-not-exceeded"));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("b.bin")).StatusCode);
        Assert.Equal((600L, 400L), await QuotaAsync(alice, string.Empty));

        // The quota is on the folder: another user writing there is held to it too, and sees the same figures.
        Assert.Equal(HttpStatusCode.InsufficientStorage, (await admin.PutAsync("homes/alice/c.bin", new ByteArrayContent(Bytes(401)))).StatusCode);
        Assert.Equal((600L, 400L), await QuotaAsync(admin, "homes/alice/"));
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("elsewhere.bin", new ByteArrayContent(Bytes(5000)))).StatusCode);

        // The folder quota of the configuration (2KB = 2000 bytes).
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync("MKCOL", "shared/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("shared/x.bin", new ByteArrayContent(Bytes(2000)))).StatusCode);
        Assert.Equal(HttpStatusCode.InsufficientStorage, (await admin.PutAsync("shared/y.bin", new ByteArrayContent(Bytes(1)))).StatusCode);
        Assert.Equal((2000L, 0L), await QuotaAsync(admin, "shared/"));
        Assert.False(File.Exists(Path.Combine(root, "shared", "y.bin")));
        Assert.False(File.Exists(Path.Combine(root, "homes", "alice", "b.bin")));
    }

    [Fact]
    public async Task After_A_Kill_In_The_Middle_Of_A_Put_The_Figures_Are_Right_At_The_Restart()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        var users = TestUsers.Write(temp.Combine("users.json"), TestUsers.User("alice", "a-pass", home: "homes/alice") with { QuotaBytes = 1_000_000 });
        string[] args = ["--root", root, "--users", users];
        var original = Bytes(100_000);
        await using (var first = await ServerProcess.StartAsync(args))
        {
            using var alice = TestUsers.Client(first.BaseAddress, "alice", "a-pass");
            Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync("kept.bin", new ByteArrayContent(original))).StatusCode);

            // A replacement of kept.bin and a new file, each cut by the kill with part of its body sent.
            using var replacing = await StartPutAsync(first.Port, "kept.bin", 900_000);
            using var creating = await StartPutAsync(first.Port, "new.bin", 800_000);
            await WaitUntilAsync(() => StagedBytes(root) >= 2 * 300_000, "The server never staged the bodies it was sent.");
            await first.KillAsync();
        }

        await using var second = await ServerProcess.StartAsync(args);
        using var client = TestUsers.Client(second.BaseAddress, "alice", "a-pass");
        Assert.Equal(original, await client.GetByteArrayAsync("kept.bin"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("new.bin")).StatusCode);
        Assert.Equal((100_000L, 900_000L), await QuotaAsync(client, string.Empty));
        Assert.Equal(HttpStatusCode.InsufficientStorage, (await client.PutAsync("more.bin", new ByteArrayContent(Bytes(900_001)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("more.bin", new ByteArrayContent(Bytes(900_000)))).StatusCode);
        Assert.Equal((1_000_000L, 0L), await QuotaAsync(client, string.Empty));
    }

    private static byte[] Bytes(int count) => RandomNumberGenerator.GetBytes(count);

    private static async Task<(long Used, long Available)> QuotaAsync(HttpClient client, string url)
    {
        var response = await client.SendAsync("PROPFIND", url, QuotaPropfind, ("Depth", "0"));
        Assert.Equal(207, (int)response.StatusCode);
        var prop = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(D + "prop").Single();
        return (long.Parse(prop.Element(D + "quota-used-bytes")!.Value, CultureInfo.InvariantCulture),
            long.Parse(prop.Element(D + "quota-available-bytes")!.Value, CultureInfo.InvariantCulture));
    }

    // A PUT whose head and the first 300,000 bytes of its body are sent, and the rest never.
    private static async Task<TcpClient> StartPutAsync(int port, string path, int length)
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var head = $"PUT /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {TestUsers.Header("alice", "a-pass")}\r\nContent-Length: {length}\r\n\r\n";
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        await socket.GetStream().WriteAsync(Bytes(300_000));
        return socket;
    }

    private static long StagedBytes(string root)
    {
        var staging = Path.Combine(root, ".davit", "staging");
        return Directory.Exists(staging) ? Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Sum(f => SafeLength(f)) : 0;
    }

    private static long SafeLength(string file)
    {
        try
        {
            return new FileInfo(file).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        // Bounded polling for the server to reach a state: a deadline, not a timed assertion.
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
