using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Davit.Conformance.Http;

namespace Davit.FileSystem.Tests;

/// <summary>
/// A disk that really fills up: the store's root and the uploads folder on a 4 MiB tmpfs. Full answers 507, and the
/// previous content stays intact. Mounting needs root, which scripts/test.sh and CI have.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private readonly string mountPoint = Directory.CreateTempSubdirectory("davit-full-").FullName;
    private FileSystemStore? store;
    private DavTestServer server = null!;

    public async Task InitializeAsync()
    {
        var mount = await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint);
        Assert.True(mount.ExitCode == 0, $"Mounting a tmpfs needs root (scripts/test.sh runs as root): {mount.Output}");
        store = new FileSystemStore(new FileSystemStoreOptions { Root = Path.Join(mountPoint, "root") });
        server = await DavTestServer.StartAsync(store);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        store?.Dispose();
        await RunAsync("umount", mountPoint);
        Directory.Delete(mountPoint, recursive: true);
    }

    [Fact]
    public async Task A_Put_That_Does_Not_Fit_Is_507_And_The_Previous_Content_Stays()
    {
        var small = RandomNumberGenerator.GetBytes(500_000);
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("doc.bin", small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("small.txt", "tiny")).StatusCode);

        var response = await server.Client.PutAsync("doc.bin", RandomNumberGenerator.GetBytes(6_000_000));
        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        Assert.Equal(small, await server.Client.GetByteArrayAsync("doc.bin"));

        var fresh = await server.Client.PutAsync("fresh.bin", RandomNumberGenerator.GetBytes(5_000_000));
        Assert.Equal(HttpStatusCode.InsufficientStorage, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("fresh.bin")).StatusCode);
        Assert.Equal("tiny", await server.Client.GetStringAsync("small.txt"));
    }

    [Fact]
    public async Task A_Segment_That_Does_Not_Fit_Is_507_The_Upload_Keeps_What_Fit_And_Resumes_Once_There_Is_Room()
    {
        var bytes = RandomNumberGenerator.GetBytes(3_000_000);
        var ballast = RandomNumberGenerator.GetBytes(2_000_000);
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("ballast.bin", ballast)).StatusCode);

        var first = await SegmentAsync(bytes, 0, 999_999);
        Assert.Equal((HttpStatusCode)308, first.StatusCode);
        var second = await SegmentAsync(bytes, 1_000_000, 2_999_999);
        Assert.Equal(HttpStatusCode.InsufficientStorage, second.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("upload.bin")).StatusCode);
        Assert.Equal(ballast, await server.Client.GetByteArrayAsync("ballast.bin"));

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync("ballast.bin")).StatusCode);
        var report = await Dav.MultistatusAsync(await server.Client.SendAsync("REPORT", "upload.bin", "<i:upload-progress xmlns:i=\"ithit\"/>"));
        var saved = long.Parse(report.Descendants(System.Xml.Linq.XName.Get("bytes-uploaded", "ithit")).Single().Value, CultureInfo.InvariantCulture);
        Assert.InRange(saved, 1_000_000, 2_999_999);
        Assert.Equal(HttpStatusCode.Created, (await SegmentAsync(bytes, saved, 2_999_999)).StatusCode);
        Assert.Equal(bytes, await server.Client.GetByteArrayAsync("upload.bin"));
    }

    [Fact]
    public async Task Big_Puts_That_Did_Not_Fit_Leave_No_Bytes_Behind_So_Small_Writes_Still_Fit()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await server.Client.PutAsync($"too-big-{i}.bin", RandomNumberGenerator.GetBytes(5_000_000));
            Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        }

        // Nothing of them stays as an upload in progress, in the REPORT or on the disk.
        Assert.Empty((await Dav.MultistatusAsync(await server.Client.SendAsync("REPORT", "", "<i:upload-progress xmlns:i=\"ithit\"/>")))
            .Descendants(System.Xml.Linq.XName.Get("bytes-uploaded", "ithit")));
        Assert.Empty(Directory.GetFiles(Path.Join(mountPoint, "root", ".davit", "uploads")));
        var small = RandomNumberGenerator.GetBytes(100_000);
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("small.bin", small)).StatusCode);
        Assert.Equal(small, await server.Client.GetByteArrayAsync("small.bin"));
    }

    [Fact]
    public async Task Proppatch_And_Lock_On_A_Full_Disk_Are_507_And_Change_Nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("a.txt", "a")).StatusCode);
        FillTheDisk();

        var big = new string('v', 600_000);
        var patch = await server.Client.SendAsync("PROPPATCH", "a.txt", Dav.Xml($"<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><p xmlns=\"urn:z\">{big}</p></D:prop></D:set></D:propertyupdate>"));
        // The properties of a PROPPATCH are one unit of work: when its commit finds no room, the whole request is 507.
        Assert.Equal(HttpStatusCode.InsufficientStorage, patch.StatusCode);

        var locked = await server.Client.SendAsync("LOCK", "a.txt", Dav.Xml($"<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>{big}</D:owner></D:lockinfo>"));
        Assert.Equal(HttpStatusCode.InsufficientStorage, locked.StatusCode);

        var props = await Dav.MultistatusAsync(await server.Client.PropfindAsync("a.txt", "0"));
        Assert.Null(Dav.Property(props, "/a.txt", System.Xml.Linq.XName.Get("p", "urn:z")));
        Assert.Empty(props.Descendants(Dav.D + "activelock"));
        Assert.Equal("a", await server.Client.GetStringAsync("a.txt"));
    }

    // A ballast file takes every byte left on the tmpfs (outside the root, so nobody serves it).
    private void FillTheDisk()
    {
        using var ballast = new FileStream(Path.Join(mountPoint, "ballast"), FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                ballast.Write(block);
                ballast.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    private async Task<HttpResponseMessage> SegmentAsync(byte[] bytes, long first, long last)
    {
        var request = Dav.Request("PUT", "upload.bin");
        request.Content = new ByteArrayContent(bytes, (int)first, (int)(last - first + 1));
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {first}-{last}/{bytes.Length}");
        return await server.Client.SendAsync(request);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
