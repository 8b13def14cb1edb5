using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Davit.Server.Tests;
using Xunit.Abstractions;

namespace Davit.PostgreSql.Tests;

/// <summary>
/// Two real Davit.Server processes on one PostgreSQL database, as two nodes behind a load balancer: whatever a client
/// does on one, the other sees and enforces, an upload moves between them segment by segment and survives a kill -9 of
/// the node that was receiving it, and concurrent writers through both end as some serial order would.
/// </summary>
public sealed class TwoServerProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>node A</D:owner></D:lockinfo>";
    private const string ProgressReport = "<?xml version=\"1.0\" encoding=\"utf-8\"?><i:upload-progress xmlns:i=\"ithit\"/>";
    private static readonly XNamespace D = "DAV:";
    private static readonly XNamespace ITHit = "ithit";

    private PostgresDatabase database = null!;
    private ServerProcess nodeA = null!;
    private ServerProcess nodeB = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        nodeA = await StartNodeAsync("a");
        nodeB = await StartNodeAsync("b");
    }

    public async Task DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
        await database.DisposeAsync();
    }

    private Task<ServerProcess> StartNodeAsync(string name) =>
        ServerProcess.StartAsync("--store", "postgres", "--connection-string", database.ConnectionString, "--Davit:Engine:RequireSharedState", "true",
            "--content-cache", Path.Combine(database.CacheFolder, name));

    [Fact]
    public async Task B_Serves_Its_Cached_Copy_Until_A_Put_On_A_And_Then_Only_The_New_Bytes()
    {
        using var a = Client(nodeA);
        using var b = Client(nodeB);
        var first = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);
        var second = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);
        Assert.Equal(HttpStatusCode.Created, (await a.PutAsync("big.bin", new ByteArrayContent(first))).StatusCode);
        Assert.Equal(first, await b.GetByteArrayAsync("big.bin"));
        Assert.Equal(first, await b.GetByteArrayAsync("big.bin"));
        var copies = Directory.GetFiles(Path.Combine(database.CacheFolder, "b"), "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "boot-id").ToList();
        Assert.Equal(first.Length, new FileInfo(Assert.Single(copies)).Length);

        Assert.Equal(HttpStatusCode.NoContent, (await a.PutAsync("big.bin", new ByteArrayContent(second))).StatusCode);
        Assert.Equal(second, await b.GetByteArrayAsync("big.bin"));
        Assert.Equal(second, await b.GetByteArrayAsync("big.bin"));
        Assert.Equal(second, await a.GetByteArrayAsync("big.bin"));
    }

    [Fact]
    public async Task A_Lock_Taken_On_A_Is_Enforced_On_B_And_A_Proppatch_On_A_Is_Seen_On_B()
    {
        using var a = Client(nodeA);
        using var b = Client(nodeB);
        Assert.Equal(HttpStatusCode.Created, (await a.PutAsync("shared.txt", new StringContent("from A"))).StatusCode);
        var patch = new HttpRequestMessage(new HttpMethod("PROPPATCH"), "shared.txt")
        {
            Content = new StringContent("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\"><D:set><D:prop><Z:color>teal</Z:color></D:prop></D:set></D:propertyupdate>", Encoding.UTF8, "application/xml"),
        };
        Assert.Equal(HttpStatusCode.MultiStatus, (await a.SendAsync(patch)).StatusCode);
        var find = new HttpRequestMessage(new HttpMethod("PROPFIND"), "shared.txt")
        {
            Content = new StringContent("<D:propfind xmlns:D=\"DAV:\"><D:prop><Z:color xmlns:Z=\"urn:z\"/></D:prop></D:propfind>", Encoding.UTF8, "application/xml"),
        };
        find.Headers.Add("Depth", "0");
        var seen = XDocument.Parse(await (await b.SendAsync(find)).Content.ReadAsStringAsync());
        Assert.Equal("teal", seen.Descendants(XName.Get("color", "urn:z")).Single().Value);

        var lockRequest = new HttpRequestMessage(new HttpMethod("LOCK"), "shared.txt") { Content = new StringContent(LockBody, Encoding.UTF8, "application/xml") };
        var locked = await a.SendAsync(lockRequest);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var token = locked.Headers.GetValues("Lock-Token").Single();

        Assert.Equal((HttpStatusCode)423, (await b.PutAsync("shared.txt", new StringContent("from B without the token"))).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await b.DeleteAsync("shared.txt")).StatusCode);
        Assert.Equal("from A", await b.GetStringAsync("shared.txt"));
        var withToken = new HttpRequestMessage(HttpMethod.Put, "shared.txt") { Content = new StringContent("from B with the token") };
        withToken.Headers.Add("If", $"({token})");
        Assert.Equal(HttpStatusCode.NoContent, (await b.SendAsync(withToken)).StatusCode);
        var unlock = new HttpRequestMessage(new HttpMethod("UNLOCK"), "shared.txt");
        unlock.Headers.Add("Lock-Token", token);
        Assert.Equal(HttpStatusCode.NoContent, (await b.SendAsync(unlock)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync("shared.txt")).StatusCode);
    }

    [Fact]
    public async Task Upload_Segments_Alternate_Then_A_Is_Killed_Mid_Segment_And_The_Upload_Resumes_On_B()
    {
        const int segment = 4 * 1024 * 1024;
        const int total = 6 * segment;
        var source = RandomNumberGenerator.GetBytes(total);
        using var a = Client(nodeA);
        using var b = Client(nodeB);

        // Segments alternate: A, B, A, B; each node reports what the other saved.
        long acknowledged = 0;
        for (var i = 0; i < 4; i++)
        {
            var (to, other) = i % 2 == 0 ? (a, b) : (b, a);
            using var put = await PutSegmentAsync(to, source, acknowledged, segment, total);
            Assert.Equal((HttpStatusCode)308, put.StatusCode);
            acknowledged += segment;
            Assert.Equal(acknowledged, (await ProgressAsync(other)).Bytes);
        }

        // The fifth segment goes to A over a raw socket, in pieces; B watches them arrive; then A is killed -9.
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, nodeA.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"PUT /relay.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {segment}\r\nContent-Range: bytes {acknowledged}-{acknowledged + segment - 1}/{total}\r\n\r\n"));
        var sent = acknowledged;
        var seen = acknowledged;
        foreach (var piece in (int[])[1024 * 1024 + 777, 1024 * 1024 + 4321])
        {
            await stream.WriteAsync(source.AsMemory((int)sent, piece));
            await stream.FlushAsync();
            sent += piece;
            seen = await WaitForProgressAboveAsync(b, seen);
            Assert.True(seen <= sent, $"B reports {seen} bytes, but only {sent} were sent.");
        }

        using (var victim = Process.GetProcessById(nodeA.ProcessId))
        {
            victim.Kill(entireProcessTree: false);
        }

        Assert.NotNull(await nodeA.WaitForExitAsync(ServerProcess.StopTimeout));

        // B shows what arrived and nothing half-done at the URL; the upload resumes on B from there.
        var (bytes, reportedTotal) = await ProgressAsync(b);
        output.WriteLine($"acknowledged {acknowledged}, sent {sent}, reported by B after the kill {bytes}");
        Assert.InRange(bytes, acknowledged, sent);
        Assert.Equal(total, reportedTotal);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync("relay.bin")).StatusCode);
        var offset = bytes;
        while (offset < total)
        {
            var length = (int)Math.Min(segment, total - offset);
            using var put = await PutSegmentAsync(b, source, offset, length, total);
            offset += length;
            Assert.Equal(offset < total ? (HttpStatusCode)308 : HttpStatusCode.Created, put.StatusCode);
        }

        using var get = await b.GetAsync("relay.bin", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        await using var body = await get.Content.ReadAsStreamAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(source)), Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));
    }

    [Fact]
    public async Task Eight_Clients_Writing_Twenty_Files_Through_Both_Nodes_End_With_Every_File_Whole()
    {
        const int files = 20;
        const int clients = 8;
        var duration = TimeSpan.FromSeconds(15);
        var nodes = new[] { nodeA, nodeB };
        for (var f = 0; f < files; f++)
        {
            using var seed = Client(nodes[f % 2]);
            Assert.Equal(HttpStatusCode.Created, (await seed.PutAsync($"f{f}.bin", new ByteArrayContent(Body(-1, f)))).StatusCode);
        }

        var statuses = new ConcurrentBag<int>();
        var conditionalWins = new ConcurrentBag<(int File, string Basis)>();
        var conditionalLosses = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            using var viaA = Client(nodeA);
            using var viaB = Client(nodeB);
            for (var seq = 0; clock.Elapsed < duration && seq < 10_000; seq++)
            {
                var client = random.Next(2) == 0 ? viaA : viaB;
                var file = random.Next(files);
                var url = $"f{file}.bin";
                var content = Body(c * 100_000 + seq, file);
                if (random.Next(2) == 0)
                {
                    using var put = await client.PutAsync(url, new ByteArrayContent(content));
                    statuses.Add((int)put.StatusCode);
                    continue;
                }

                // Read, then write only if nobody wrote meanwhile (through either node).
                using var head = await (random.Next(2) == 0 ? viaA : viaB).SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
                statuses.Add((int)head.StatusCode);
                var basis = head.Headers.ETag!.Tag;
                var conditional = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
                conditional.Headers.TryAddWithoutValidation("If-Match", basis);
                using var written = await client.SendAsync(conditional);
                statuses.Add((int)written.StatusCode);
                if (written.StatusCode == HttpStatusCode.NoContent)
                {
                    conditionalWins.Add((file, basis));
                }
                else if (written.StatusCode == HttpStatusCode.PreconditionFailed)
                {
                    Interlocked.Increment(ref conditionalLosses);
                }
            }
        })));

        output.WriteLine($"{statuses.Count} requests in {clock.Elapsed.TotalSeconds:F1} s: " +
            string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")) +
            $"; conditional writes: {conditionalWins.Count} won, {conditionalLosses} lost with 412");
        Assert.DoesNotContain(statuses, s => s >= 500);
        Assert.All(statuses, s => Assert.True(s is 200 or 201 or 204 or 412, $"Unexpected status {s}."));
        Assert.True(conditionalLosses > 0, "No conditional write ever lost: the clients did not contend.");

        // No lost update: two conditional writes that won never replaced the same version of a file.
        var duplicated = conditionalWins.GroupBy(w => w).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicated.Count == 0, $"Two If-Match writes both replaced {string.Join(", ", duplicated)}.");

        // Every file is whole: one writer's complete content, the same through both nodes.
        for (var f = 0; f < files; f++)
        {
            using var a = Client(nodeA);
            using var b = Client(nodeB);
            var fromA = await a.GetByteArrayAsync($"f{f}.bin");
            Assert.True(IsWhole(fromA, f), $"f{f}.bin is not one writer's whole content.");
            Assert.Equal(fromA, await b.GetByteArrayAsync($"f{f}.bin"));
        }
    }

    // A body that names its writer and file, then a pattern derived from that name: a torn or mixed body shows.
    private static byte[] Body(int writer, int file)
    {
        var header = Encoding.ASCII.GetBytes($"writer {writer,12} file {file,4}\n");
        var pattern = SHA256.HashData(header);
        var length = 20_000 + (Math.Abs(writer) % 7) * 9_000;
        var body = new byte[header.Length + length];
        header.CopyTo(body, 0);
        for (var i = 0; i < length; i++)
        {
            body[header.Length + i] = (byte)(pattern[i % pattern.Length] ^ (i / pattern.Length));
        }

        return body;
    }

    private static bool IsWhole(byte[] body, int file)
    {
        var newline = Array.IndexOf(body, (byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        var words = Encoding.ASCII.GetString(body, 0, newline).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 4 && int.Parse(words[3], CultureInfo.InvariantCulture) == file
            && Body(int.Parse(words[1], CultureInfo.InvariantCulture), file).AsSpan().SequenceEqual(body);
    }

    private static HttpClient Client(ServerProcess server) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<HttpResponseMessage> PutSegmentAsync(HttpClient client, byte[] source, long offset, int length, int total)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "relay.bin") { Content = new ByteArrayContent(source, (int)offset, length) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {offset}-{offset + length - 1}/{total}");
        return await client.SendAsync(request);
    }

    private static async Task<long> WaitForProgressAboveAsync(HttpClient client, long above)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (bytes, _) = await ProgressAsync(client);
            if (bytes > above)
            {
                return bytes;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"The other node's REPORT stayed at {bytes} bytes while a segment was streaming.");
            await Task.Delay(50);
        }
    }

    private static async Task<(long Bytes, long Total)> ProgressAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(new HttpMethod("REPORT"), "relay.bin") { Content = new StringContent(ProgressReport, Encoding.UTF8, "application/xml") };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.MultiStatus, $"REPORT answered {(int)response.StatusCode}: {text}");
        var prop = XDocument.Parse(text).Root!.Elements(D + "response").Single().Element(D + "propstat")!.Element(D + "prop")!;
        return (long.Parse(prop.Element(ITHit + "bytes-uploaded")!.Value, CultureInfo.InvariantCulture),
            long.Parse(prop.Element(ITHit + "total-content-length")!.Value, CultureInfo.InvariantCulture));
    }
}
