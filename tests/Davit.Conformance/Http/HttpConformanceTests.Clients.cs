using System.Security.Cryptography;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Curl_Interrupted_Mid_Download_Then_Resumed_With_C_Gives_A_Byte_Identical_File()
    {
        var bytes = await PutRandomAsync("video.bin", 32 * 1024 * 1024);
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "video.bin");
        var url = Server.Url("video.bin").AbsoluteUri;

        // Throttled and cut off after a second or a few: a partial file, as a broken connection leaves it. A loaded
        // machine may send no byte within the first second, so the cut comes later until some bytes are there.
        long partialLength = 0;
        foreach (var seconds in new[] { "1", "2", "4", "8" })
        {
            File.Delete(target);
            var first = await ExternalTool.RunAsync("curl", ["-sS", "--limit-rate", "256K", "--max-time", seconds, "-o", target, url], ToolTimeout);
            Assert.Equal(28, first.ExitCode); // 28: operation timed out
            partialLength = File.Exists(target) ? new FileInfo(target).Length : 0;
            if (partialLength > 0)
            {
                break;
            }
        }

        Assert.InRange(partialLength, 1, bytes.Length - 1);

        var resumed = await ExternalTool.RunAsync("curl", ["-sS", "-f", "-C", "-", "-o", target, url], ToolTimeout);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(target)));
    }

    [Fact]
    public async Task Aria2c_With_Four_Connections_Gives_A_Byte_Identical_File()
    {
        var bytes = await PutRandomAsync("iso.bin", 6 * 1024 * 1024 + 12345);
        using var dir = new TempDirectory();
        var result = await ExternalTool.RunAsync("aria2c",
            ["-q", "-x", "4", "-s", "4", "-k", "1M", "--file-allocation=none", "--allow-overwrite=true", "-d", dir.Path, "-o", "iso.bin", Server.Url("iso.bin").AbsoluteUri],
            ToolTimeout);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(dir.Path, "iso.bin"))));
    }

    [Fact]
    public async Task Curl_Resuming_With_A_Stale_IfRange_Gets_The_New_File_Whole_Never_A_Splice()
    {
        await PutRandomAsync("doc.bin", 500_000);
        var staleTag = (await Client.SendAsync("HEAD", "doc.bin")).Headers.ETag!.Tag;
        var replaced = await PutRandomAsync("doc.bin", 400_000);
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "doc.bin");

        var result = await ExternalTool.RunAsync("curl",
            ["-sS", "-f", "-r", "250000-", "-H", $"If-Range: {staleTag}", "-o", target, "-w", "%{http_code}", Server.Url("doc.bin").AbsoluteUri],
            ToolTimeout);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("200", result.Output.Trim());
        Assert.Equal(replaced, await File.ReadAllBytesAsync(target));
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("davit-client-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
