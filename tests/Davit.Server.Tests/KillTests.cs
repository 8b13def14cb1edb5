using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Davit.Server.Tests;

/// <summary>
/// SIGKILL of a real server on the file-system store in the middle of writes, then a restart over the same folder:
/// nothing the killed process was writing is left behind, and nothing committed before is lost.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private static readonly XNamespace D = "DAV:";
    private static readonly XNamespace Z = "urn:kill-test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bytes_Staged_By_Puts_Cut_By_A_Kill_Are_Reclaimed_At_The_Restart()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        var staging = Path.Combine(root, ".davit", "staging");
        string[] args = ["--root", root];
        var sockets = new List<TcpClient>();
        try
        {
            await using (var first = await ServerProcess.StartAsync(args))
            {
                // Bodies under the resumable-upload threshold are staged whole before they are renamed into place.
                for (var i = 0; i < 4; i++)
                {
                    var socket = new TcpClient();
                    sockets.Add(socket);
                    await socket.ConnectAsync(IPAddress.Loopback, first.Port);
                    var head = $"PUT /cut-{i}.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 900000\r\n\r\n";
                    await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
                    await socket.GetStream().WriteAsync(RandomNumberGenerator.GetBytes(500_000));
                }

                await WaitUntilAsync(() => StagedBytes(staging) >= 4 * 400_000, "The server never staged the bodies it was sent.");
                await first.KillAsync();
            }

            var left = StagedBytes(staging);
            output.WriteLine($"staged bytes left by the kill: {left}");
            Assert.True(left > 0);

            await using var second = await ServerProcess.StartAsync(args);
            Assert.Equal(0, StagedBytes(staging));
            using var client = second.CreateClient();
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"cut-{i}.bin")).StatusCode);
            }

            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("after.txt", new StringContent("fine"))).StatusCode);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_Folder_Move_Cut_By_A_Kill_Leaves_The_Folder_Whole_With_Its_Properties_In_One_Place()
    {
        const int Files = 300;
        const int Rounds = 8;
        using var temp = new TempFolder();
        var root = temp.Combine("root");
        var journal = Path.Combine(root, ".davit", "journal");
        string[] args = ["--root", root];
        var server = await ServerProcess.StartAsync(args);
        try
        {
            TimeSpan moveTime;
            using (var client = server.CreateClient())
            {
                await SendAsync(client, "MKCOL", "/a/");
                await SetColorAsync(client, "/a/", "folder");
                await Parallel.ForAsync(0, Files, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"a/f{i}.txt", new StringContent($"file {i}"))).StatusCode);
                    await SetColorAsync(client, $"/a/f{i}.txt", $"color {i}");
                });

                // How long one MOVE of the folder takes here: the kills are spread over twice that.
                var clock = Stopwatch.StartNew();
                await MoveAsync(client, "/a/", "/b/");
                moveTime = clock.Elapsed;
                await MoveAsync(client, "/b/", "/a/");
            }

            output.WriteLine($"one MOVE of {Files} files: {moveTime.TotalMilliseconds:F1} ms");
            var at = "/a/";
            var journaled = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var to = at == "/a/" ? "/b/" : "/a/";
                using (var client = server.CreateClient())
                {
                    // Even rounds kill the moment the MOVE's journal appears (its rename is next), odd ones at a
                    // random time within twice the duration of a MOVE.
                    Directory.CreateDirectory(journal);
                    using var watcher = new FileSystemWatcher(journal) { EnableRaisingEvents = round % 2 == 0 };
                    var victim = server;
                    watcher.Created += (_, _) => victim.KillNow();
                    var move = MoveAsync(client, at, to, expectSuccess: false);
                    if (round % 2 == 1)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 2 * moveTime.TotalMilliseconds));
                    }
                    else
                    {
                        await Task.WhenAny(move, Task.Delay(Patience));
                    }

                    await server.KillAsync();
                    await Task.WhenAny(move, Task.Delay(Patience));
                }

                journaled += Directory.Exists(journal) && Directory.EnumerateFiles(journal).Any() ? 1 : 0;
                await server.DisposeAsync();
                server = await ServerProcess.StartAsync(args);
                using (var client = server.CreateClient())
                {
                    at = await WhereIsTheFolderAsync(client);
                    var colors = await ColorsAsync(client, at);
                    Assert.Equal(Files + 1, colors.Count);
                    Assert.Equal("folder", colors[at]);
                    for (var i = 0; i < Files; i++)
                    {
                        Assert.Equal($"color {i}", colors[$"{at}f{i}.txt"]);
                    }

                    Assert.Equal("file 7", await client.GetStringAsync($"{at.TrimStart('/')}f7.txt"));
                }
            }

            output.WriteLine($"{journaled} of {Rounds} kills came between a rename and its commit");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    // Exactly one of /a/ and /b/ exists; returns it.
    private static async Task<string> WhereIsTheFolderAsync(HttpClient client)
    {
        var a = (await SendAsync(client, "PROPFIND", "/a/", depth: "0")).StatusCode;
        var b = (await SendAsync(client, "PROPFIND", "/b/", depth: "0")).StatusCode;
        Assert.True((a == HttpStatusCode.MultiStatus) != (b == HttpStatusCode.MultiStatus), $"/a/ answered {(int)a} and /b/ {(int)b}.");
        return a == HttpStatusCode.MultiStatus ? "/a/" : "/b/";
    }

    private static async Task<Dictionary<string, string>> ColorsAsync(HttpClient client, string folder)
    {
        var body = "<D:propfind xmlns:D=\"DAV:\"><D:prop><z:color xmlns:z=\"urn:kill-test\"/></D:prop></D:propfind>";
        using var response = await SendAsync(client, "PROPFIND", folder, body, depth: "1");
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var colors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(D + "response"))
        {
            var found = item.Elements(D + "propstat").Where(p => p.Element(D + "status")!.Value.Contains(" 200 ", StringComparison.Ordinal))
                .Select(p => p.Element(D + "prop")!.Element(Z + "color")).SingleOrDefault(c => c is not null);
            colors[Uri.UnescapeDataString(item.Element(D + "href")!.Value)] = found?.Value ?? "(none)";
        }

        return colors;
    }

    private static async Task SetColorAsync(HttpClient client, string path, string color)
    {
        var body = $"<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><z:color xmlns:z=\"urn:kill-test\">{color}</z:color></D:prop></D:set></D:propertyupdate>";
        using var response = await SendAsync(client, "PROPPATCH", path, body);
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
    }

    private static async Task MoveAsync(HttpClient client, string from, string to, bool expectSuccess = true)
    {
        using var request = new HttpRequestMessage(new HttpMethod("MOVE"), from);
        request.Headers.Add("Destination", new Uri(client.BaseAddress!, to).ToString());
        try
        {
            using var response = await client.SendAsync(request);
            Assert.True(!expectSuccess || response.StatusCode == HttpStatusCode.Created, $"MOVE answered {(int)response.StatusCode}.");
        }
        catch (HttpRequestException) when (!expectSuccess)
        {
            // The kill came first.
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? body = null, string? depth = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/xml");
        }

        if (depth is not null)
        {
            request.Headers.Add("Depth", depth);
        }

        return await client.SendAsync(request);
    }

    private static long StagedBytes(string staging) =>
        Directory.Exists(staging) ? Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, failure);
            await Task.Delay(50);
        }
    }
}
