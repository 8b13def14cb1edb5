using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance.Http;

/// <summary>
/// Two servers over one storage, as two nodes behind a load balancer: each test sends requests to both, with real
/// concurrent clients where it is about a race, and checks that the outcome is one that some serial order of the
/// requests would give. A store proves it can run on several nodes by passing this suite with two instances over the
/// same backing store.
/// </summary>
public abstract class TwoNodeConformanceTests : IAsyncLifetime
{
    private const int Rounds = 20;
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>node test</D:owner></D:lockinfo>";
    private const string ProgressReport = "<i:upload-progress xmlns:i=\"ithit\"/>";
    private static readonly XNamespace ITHit = "ithit";

    private IDavStore? storeA;
    private IDavStore? storeB;

    protected DavTestServer NodeA { get; private set; } = null!;

    protected DavTestServer NodeB { get; private set; } = null!;

    /// <summary>Two instances of the store over the same (fresh, empty) storage.</summary>
    protected abstract ValueTask<(IDavStore A, IDavStore B)> CreateStoresAsync();

    /// <summary>Releases the two instances and their storage.</summary>
    protected virtual async ValueTask DisposeStoresAsync(IDavStore a, IDavStore b)
    {
        await Disposal.DisposeIfDisposableAsync(a);
        await Disposal.DisposeIfDisposableAsync(b);
    }

    public async Task InitializeAsync()
    {
        (storeA, storeB) = await CreateStoresAsync();
        NodeA = await DavTestServer.StartAsync(storeA);
        NodeB = await DavTestServer.StartAsync(storeB);
    }

    public async Task DisposeAsync()
    {
        await NodeA.DisposeAsync();
        await NodeB.DisposeAsync();
        await DisposeStoresAsync(storeA!, storeB!);
    }

    [Fact]
    public async Task What_One_Node_Writes_The_Other_Serves()
    {
        Assert.Equal(HttpStatusCode.Created, (await NodeA.Client.SendAsync("MKCOL", "docs/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await NodeB.Client.PutAsync("docs/a.txt", "from B")).StatusCode);
        var patch = Dav.Xml("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\"><D:set><D:prop><Z:color>red</Z:color></D:prop></D:set></D:propertyupdate>");
        Assert.Equal(HttpStatusCode.MultiStatus, (await NodeA.Client.SendAsync("PROPPATCH", "docs/a.txt", patch)).StatusCode);

        Assert.Equal("from B", await NodeA.Client.GetStringAsync("docs/a.txt"));
        var props = await Dav.MultistatusAsync(await NodeB.Client.PropfindAsync("docs/a.txt", "0"));
        Assert.Equal("red", Dav.Property(props, NodeB.Prefix + "/docs/a.txt", XName.Get("color", "urn:z"))?.Property.Value);
    }

    [Fact]
    public async Task Conditional_Puts_With_The_Same_If_Match_On_Two_Nodes_Exactly_One_Wins_Each_Round()
    {
        var put = await NodeA.Client.PutAsync("contested.bin", new byte[1000]);
        var etag = put.Headers.ETag!.Tag;
        for (var round = 1; round <= Rounds; round++)
        {
            var nodes = new[] { NodeA, NodeB };
            var responses = await Task.WhenAll(nodes.Select((node, i) => node.Client.PutAsync("contested.bin", Filled(1000, (byte)(round * 2 + i)), ("If-Match", etag))));
            var statuses = responses.Select(r => (int)r.StatusCode).ToArray();
            Assert.True(statuses.Count(s => s == 204) == 1 && statuses.Count(s => s == 412) == 1, $"Round {round}: {string.Join(", ", statuses)}");
            var winner = Array.FindIndex(statuses, s => s == 204);
            var expected = Filled(1000, (byte)(round * 2 + winner));
            Assert.Equal(expected, await NodeA.Client.GetByteArrayAsync("contested.bin"));
            Assert.Equal(expected, await NodeB.Client.GetByteArrayAsync("contested.bin"));
            etag = responses[winner].Headers.ETag!.Tag;
        }
    }

    [Fact]
    public async Task Creates_Racing_On_Two_Nodes_Leave_One_Winner()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var url = $"new-{round}.bin";
            var nodes = new[] { NodeA, NodeB };
            var responses = await Task.WhenAll(nodes.Select((node, i) => node.Client.PutAsync(url, Filled(500, (byte)(i + 1)), ("If-None-Match", "*"))));
            var statuses = responses.Select(r => (int)r.StatusCode).ToArray();
            Assert.True(statuses.Count(s => s == 201) == 1 && statuses.Count(s => s == 412) == 1, $"Round {round}: {string.Join(", ", statuses)}");
            var winner = Array.FindIndex(statuses, s => s == 201);
            Assert.Equal(Filled(500, (byte)(winner + 1)), await NodeB.Client.GetByteArrayAsync(url));
        }
    }

    [Fact]
    public async Task A_Lock_Taken_On_One_Node_Is_Enforced_On_The_Other()
    {
        await NodeA.Client.PutAsync("locked.txt", "before");
        var locked = await NodeB.Client.SendAsync("LOCK", "locked.txt", Dav.Xml(LockBody), ("Timeout", "Second-600"));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var token = locked.Headers.GetValues("Lock-Token").Single();

        Assert.Equal((HttpStatusCode)423, (await NodeA.Client.PutAsync("locked.txt", "without the token")).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await NodeA.Client.SendAsync("DELETE", "locked.txt")).StatusCode);
        Assert.Equal("before", await NodeA.Client.GetStringAsync("locked.txt"));
        var withToken = Dav.Request("PUT", "locked.txt", null, ("If", $"({token})"));
        withToken.Content = new StringContent("with it");
        Assert.Equal(HttpStatusCode.NoContent, (await NodeA.Client.SendAsync(withToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await NodeA.Client.SendAsync("UNLOCK", "locked.txt", null, ("Lock-Token", token))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await NodeB.Client.PutAsync("locked.txt", "after")).StatusCode);
    }

    [Fact]
    public async Task A_Lock_And_A_Delete_Racing_On_Two_Nodes_Happen_In_Some_Order()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var url = $"raced-{round}.txt";
            await NodeA.Client.PutAsync(url, "x");
            var lockTask = NodeB.Client.SendAsync("LOCK", url, Dav.Xml(LockBody));
            var deleteTask = NodeA.Client.SendAsync("DELETE", url);
            var (locked, deleted) = ((int)(await lockTask).StatusCode, (int)(await deleteTask).StatusCode);

            // LOCK first: the DELETE lacks the token (423). DELETE first: the LOCK finds nothing and creates a new,
            // locked, empty resource (201). A lock granted on the old resource and then deleted is no serial order.
            Assert.True((locked, deleted) is (200, 423) or (201, 204), $"Round {round}: LOCK {locked}, DELETE {deleted}");
            var discovery = await Dav.MultistatusAsync(await NodeA.Client.PropfindAsync(url, "0", Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>")));
            Assert.Single(discovery.Descendants(Dav.D + "activelock"));
        }
    }

    [Fact]
    public async Task Upload_Segments_Alternate_Between_Nodes_And_The_File_Arrives_Whole()
    {
        const int segment = 256 * 1024;
        var bytes = RandomNumberGenerator.GetBytes(5 * segment + 1234);
        var nodes = new[] { NodeA, NodeB };
        for (var offset = 0; offset < bytes.Length; offset += segment)
        {
            var length = Math.Min(segment, bytes.Length - offset);
            var node = nodes[offset / segment % 2];
            var response = await PutSegmentAsync(node, "relay.bin", bytes, offset, length);
            var last = offset + length == bytes.Length;
            Assert.Equal(last ? HttpStatusCode.Created : (HttpStatusCode)308, response.StatusCode);
            if (!last)
            {
                // The other node reports what this one saved.
                var other = nodes[(offset / segment + 1) % 2];
                var report = await Dav.MultistatusAsync(await other.Client.SendAsync("REPORT", "relay.bin", ProgressReport));
                Assert.Equal((offset + length).ToString(CultureInfo.InvariantCulture), report.Descendants(ITHit + "bytes-uploaded").Single().Value);
            }
        }

        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await NodeA.Client.GetByteArrayAsync("relay.bin")));
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await NodeB.Client.GetByteArrayAsync("relay.bin")));
        Assert.Empty((await Dav.MultistatusAsync(await NodeB.Client.SendAsync("REPORT", "", ProgressReport))).Descendants(ITHit + "bytes-uploaded"));
    }

    [Fact]
    public async Task Two_Writers_Of_One_Upload_On_Two_Nodes_The_Second_Gets_409()
    {
        var bytes = RandomNumberGenerator.GetBytes(1_000_000);
        using var slow = new System.Net.Sockets.TcpClient();
        await slow.ConnectAsync("127.0.0.1", NodeA.Port);
        var stream = slow.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"PUT {NodeA.Prefix}/race.bin HTTP/1.1\r\nHost: x\r\nContent-Length: {bytes.Length}\r\nContent-Range: bytes 0-{bytes.Length - 1}/{bytes.Length}\r\n\r\n"));
        await stream.WriteAsync(bytes.AsMemory(0, 300_000));
        await stream.FlushAsync();

        // Once node B sees the upload saving bytes, a second writer there is refused.
        for (var i = 0; i < 100; i++)
        {
            var report = await NodeB.Client.SendAsync("REPORT", "race.bin", ProgressReport);
            if (report.StatusCode == HttpStatusCode.MultiStatus
                && long.Parse((await Dav.MultistatusAsync(report)).Descendants(ITHit + "bytes-uploaded").Single().Value, CultureInfo.InvariantCulture) > 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        var second = await PutSegmentAsync(NodeB, "race.bin", RandomNumberGenerator.GetBytes(bytes.Length), 0, bytes.Length);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        await stream.WriteAsync(bytes.AsMemory(300_000));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        Assert.StartsWith("HTTP/1.1 201", await reader.ReadLineAsync());
        Assert.Equal(bytes, await NodeB.Client.GetByteArrayAsync("race.bin"));
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    private static async Task<HttpResponseMessage> PutSegmentAsync(DavTestServer node, string url, byte[] bytes, int offset, int length)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes, offset, length) };
        request.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + length - 1, bytes.Length);
        return await node.Client.SendAsync(request);
    }
}
