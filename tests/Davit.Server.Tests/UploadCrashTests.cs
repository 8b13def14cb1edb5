using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Davit.Server.Tests;

/// <summary>
/// A resumable upload survives a SIGKILL of the server in the middle of a segment: after a restart the
/// upload-progress REPORT shows at least every acknowledged byte, nothing half-done is visible at the URL, and the
/// upload resumed from the reported offset ends with the source's bytes. The file-system store keeps its sessions in its
/// metadata folder; the memory store keeps them in memory, gone with the process like its files.
/// </summary>
public sealed class UploadCrashTests(ITestOutputHelper output)
{
    private const int Segment = 8 * 1024 * 1024;
    private const int Total = 64 * 1024 * 1024;
    private const int SegmentsBeforeCrash = 3;
    private const string Url = "/crash.bin";
    private const string ProgressReport = "<?xml version=\"1.0\" encoding=\"utf-8\"?><i:upload-progress xmlns:i=\"ithit\"/>";

    private static readonly XNamespace D = "DAV:";
    private static readonly XNamespace ITHit = "ithit";
    private static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FileSystem_Store_A_Kill_Mid_Segment_Then_A_Restart_And_A_Resume_Give_The_Source_Bytes()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        var uploads = Path.Combine(root, ".davit", "uploads");
        string[] args = ["--root", root];
        var source = RandomNumberGenerator.GetBytes(Total);
        var sourceHash = SHA256.HashData(source);

        long acknowledged;
        long sent;
        await using (var first = await ServerProcess.StartAsync(args))
        {
            using var client = CreateClient(first);
            acknowledged = 0;
            for (var i = 0; i < SegmentsBeforeCrash; i++)
            {
                using var put = await PutSegmentAsync(client, source, acknowledged, Segment);
                Assert.Equal((HttpStatusCode)308, put.StatusCode);
                var end = acknowledged + Segment;
                Assert.Equal($"bytes=0-{end - 1}", Assert.Single(put.Headers.GetValues("Range")));
                acknowledged = end;
            }

            Assert.Equal((acknowledged, (long)Total), await ProgressAsync(client));

            // The next segment over a raw socket: the head and part of the body, in two pieces, each watched arriving.
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, first.Port);
            var stream = socket.GetStream();
            var head = $"PUT {Url} HTTP/1.1\r\nHost: 127.0.0.1:{first.Port}\r\nContent-Type: application/octet-stream\r\n"
                + $"Content-Length: {Segment}\r\nContent-Range: bytes {acknowledged}-{acknowledged + Segment - 1}/{Total}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            sent = acknowledged;
            long seen = acknowledged;
            foreach (var piece in (int[])[(1024 * 1024) + 777, (2 * 1024 * 1024) + 4321])
            {
                await stream.WriteAsync(source.AsMemory((int)sent, piece));
                await stream.FlushAsync();
                sent += piece;
                seen = await WaitForProgressAboveAsync(client, seen);
                Assert.True(seen <= sent, $"The REPORT shows {seen} bytes, but only {sent} were sent.");
            }

            // SIGKILL: no shutdown, no flush, no finally blocks in the server.
            using (var victim = Process.GetProcessById(first.ProcessId))
            {
                victim.Kill(entireProcessTree: false);
            }

            Assert.NotNull(await first.WaitForExitAsync(ServerProcess.StopTimeout));
        }

        await using var second = await ServerProcess.StartAsync(args);
        using var resumed = CreateClient(second);

        var (bytes, total) = await ProgressAsync(resumed);
        output.WriteLine($"acknowledged {acknowledged}, sent {sent}, reported after the restart {bytes}");
        Assert.InRange(bytes, acknowledged, sent);
        Assert.Equal(Total, total);

        // Nothing half-done is visible.
        using (var get = await resumed.GetAsync(Url))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        Assert.False(File.Exists(Path.Combine(root, "crash.bin")));

        // Resume from what the server has, segment by segment, to the end.
        var offset = bytes;
        var segments = 0;
        while (offset < Total)
        {
            Assert.True(++segments <= (Total / Segment) + 1, "The resume takes more segments than the file has.");
            var length = (int)Math.Min(Segment, Total - offset);
            using var put = await PutSegmentAsync(resumed, source, offset, length);
            offset += length;
            if (offset < Total)
            {
                Assert.Equal((HttpStatusCode)308, put.StatusCode);
                Assert.Equal($"bytes=0-{offset - 1}", Assert.Single(put.Headers.GetValues("Range")));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }
        }

        using (var get = await resumed.GetAsync(Url, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(Total, get.Content.Headers.ContentLength);
            await using var body = await get.Content.ReadAsStreamAsync();
            Assert.Equal(Convert.ToHexStringLower(sourceHash), Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));
        }

        Assert.Equal(((long)Total, (long)Total), await ProgressAsync(resumed));

        // The completed session is gone: its bytes became the file (renamed, not copied), and nothing is left.
        Assert.Empty(Directory.EnumerateFiles(uploads));
    }

    // No automatic redirects: 308 is the answer to an incomplete segment here, not a redirect.
    private static HttpClient CreateClient(ServerProcess server) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<HttpResponseMessage> PutSegmentAsync(HttpClient client, byte[] source, long offset, int length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Url)
        {
            Content = new ByteArrayContent(source, (int)offset, length),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {offset}-{offset + length - 1}/{Total}");
        return await client.SendAsync(request);
    }

    // Polls the REPORT (bounded) until it shows more than `above` bytes, and returns what it showed.
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

            Assert.True(clock.Elapsed < ProgressTimeout, $"The REPORT stayed at {bytes} bytes for {ProgressTimeout.TotalSeconds} s while a segment was streaming.");
            await Task.Delay(50);
        }
    }

    // The upload-progress REPORT on the URL: bytes-uploaded and total-content-length of its single response.
    private static async Task<(long Bytes, long Total)> ProgressAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(new HttpMethod("REPORT"), Url)
        {
            Content = new StringContent(ProgressReport, Encoding.UTF8, "application/xml"),
        };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.MultiStatus, $"REPORT answered {(int)response.StatusCode}: {text}");
        var ms = XDocument.Parse(text);
        var prop = Assert.Single(ms.Root!.Elements(D + "response")).Element(D + "propstat")!.Element(D + "prop")!;
        Assert.NotNull(prop.Element(ITHit + "last-chunk-saved"));
        return (
            long.Parse(prop.Element(ITHit + "bytes-uploaded")!.Value, CultureInfo.InvariantCulture),
            long.Parse(prop.Element(ITHit + "total-content-length")!.Value, CultureInfo.InvariantCulture));
    }
}
