using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace Davit.Server.Tests;

/// <summary>
/// A tus upload survives a SIGKILL of the server in the middle of a PATCH (file-system store): after a restart, HEAD on
/// the upload URL reports at least every acknowledged byte and at most those sent, nothing is visible at the file's
/// URL, and the upload resumed from the reported offset ends with the source's bytes.
/// </summary>
public sealed class TusCrashTests(ITestOutputHelper output)
{
    private const int Chunk = 8 * 1024 * 1024;
    private const int Total = 64 * 1024 * 1024;
    private const int ChunksBeforeCrash = 3;
    private static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FileSystem_Store_A_Kill_Mid_Patch_Then_A_Restart_And_A_Resume_Give_The_Source_Bytes()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        string[] args = ["--root", root];
        var source = RandomNumberGenerator.GetBytes(Total);

        string uploadPath;
        long acknowledged = 0;
        long sent;
        await using (var first = await ServerProcess.StartAsync(args))
        {
            using var client = first.CreateClient();
            using var create = Tus(HttpMethod.Post, "/");
            create.Headers.Add("Upload-Length", Total.ToString(CultureInfo.InvariantCulture));
            create.Headers.Add("Upload-Metadata", "filename " + Convert.ToBase64String("crash.bin"u8));
            using var created = await client.SendAsync(create);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            uploadPath = created.Headers.Location!.PathAndQuery;

            for (var i = 0; i < ChunksBeforeCrash; i++)
            {
                using var patch = await PatchAsync(client, uploadPath, source, acknowledged, Chunk);
                Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
                acknowledged += Chunk;
                Assert.Equal(acknowledged, Offset(patch));
            }

            // The next PATCH over a raw socket: its head and part of its body, watched arriving through HEAD.
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, first.Port);
            var stream = socket.GetStream();
            var head = $"PATCH {uploadPath} HTTP/1.1\r\nHost: 127.0.0.1:{first.Port}\r\nTus-Resumable: 1.0.0\r\n"
                + $"Content-Type: application/offset+octet-stream\r\nUpload-Offset: {acknowledged}\r\nContent-Length: {Chunk}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            sent = acknowledged;
            var seen = acknowledged;
            foreach (var piece in (int[])[(1024 * 1024) + 777, (2 * 1024 * 1024) + 4321])
            {
                await stream.WriteAsync(source.AsMemory((int)sent, piece));
                await stream.FlushAsync();
                sent += piece;
                seen = await WaitForOffsetAboveAsync(client, uploadPath, seen);
                Assert.True(seen <= sent, $"HEAD shows {seen} bytes, but only {sent} were sent.");
            }

            // SIGKILL: no shutdown, no flush, no finally blocks in the server.
            using (var victim = Process.GetProcessById(first.ProcessId))
            {
                victim.Kill(entireProcessTree: false);
            }

            Assert.NotNull(await first.WaitForExitAsync(ServerProcess.StopTimeout));
        }

        await using var second = await ServerProcess.StartAsync(args);
        using var resumed = second.CreateClient();
        var offset = await OffsetAsync(resumed, uploadPath);
        output.WriteLine($"acknowledged {acknowledged}, sent {sent}, reported after the restart {offset}");
        Assert.InRange(offset, acknowledged, sent);
        using (var get = await resumed.GetAsync("/crash.bin"))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        var patches = 0;
        while (offset < Total)
        {
            Assert.True(++patches <= (Total / Chunk) + 1, "The resume takes more PATCHes than the file has chunks.");
            var length = (int)Math.Min(Chunk, Total - offset);
            using var patch = await PatchAsync(resumed, uploadPath, source, offset, length);
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
            offset += length;
            Assert.Equal(offset, Offset(patch));
        }

        using (var get = await resumed.GetAsync("/crash.bin", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            await using var body = await get.Content.ReadAsStreamAsync();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(source)), Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".davit", "uploads")));
    }

    private static HttpRequestMessage Tus(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, byte[] source, long offset, int length)
    {
        using var request = Tus(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new ByteArrayContent(source, (int)offset, length);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return await client.SendAsync(request);
    }

    private static long Offset(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);

    private static async Task<long> OffsetAsync(HttpClient client, string url)
    {
        using var request = Tus(HttpMethod.Head, url);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Offset(response);
    }

    // Polls HEAD (bounded) until it shows more than `above` bytes, and returns what it showed.
    private static async Task<long> WaitForOffsetAboveAsync(HttpClient client, string url, long above)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var offset = await OffsetAsync(client, url);
            if (offset > above)
            {
                return offset;
            }

            Assert.True(clock.Elapsed < ProgressTimeout, $"HEAD stayed at {offset} bytes for {ProgressTimeout.TotalSeconds} s while a PATCH was streaming.");
            await Task.Delay(50);
        }
    }
}
