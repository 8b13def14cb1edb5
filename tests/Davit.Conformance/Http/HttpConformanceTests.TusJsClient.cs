using System.Security.Cryptography;
using System.Text.Json;

namespace Davit.Conformance.Http;

/// <summary>
/// tus-js-client (from the npm registry, pinned in tests/tus-js-client/package-lock.json, installed by scripts/test.sh)
/// run with Node.js: a 64 MiB file in 8 MiB chunks, aborted in the middle of a chunk, resumed from the offset the
/// server reports; the stored file has the source's SHA-256. Once with tus 1.0, once with the client's IETF mode
/// "ietf-draft-05" (interop version 6).
/// </summary>
public abstract partial class HttpConformanceTests
{
    private const int TusJsFileSize = 64 * 1024 * 1024;
    private const int TusJsChunkSize = 8 * 1024 * 1024;
    private const int TusJsAbortAfter = 28 * 1024 * 1024;

    [Theory]
    [InlineData("tus-v1")]
    [InlineData("ietf-draft-05")]
    public async Task TusJsClient_Aborted_Midway_Then_Resumed_From_The_Server_Offset_Gives_An_Identical_File(string protocol)
    {
        var folder = TusJsClientFolder();
        using var dir = new TempDirectory();
        var source = Path.Combine(dir.Path, "movie.bin");
        var bytes = RandomNumberGenerator.GetBytes(TusJsFileSize);
        await File.WriteAllBytesAsync(source, bytes);
        await Client.SendAsync("MKCOL", "tusjs/");

        var run = await ExternalTool.RunAsync("node",
            [Path.Combine(folder, "upload.mjs"), Server.Url("tusjs/").AbsoluteUri, source, protocol, $"{TusJsChunkSize}", $"{TusJsAbortAfter}"],
            TimeSpan.FromSeconds(150), folder);
        Assert.True(run.ExitCode == 0, run.Output);
        var result = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]).RootElement;
        var serverOffset = result.GetProperty("serverOffset").GetInt64();
        Assert.InRange(serverOffset, 1, TusJsFileSize - 1);
        Assert.Equal(serverOffset, result.GetProperty("resumedFrom").GetInt64());
        Assert.StartsWith(Server.Url("tusjs/movie.bin").AbsoluteUri + "?", result.GetProperty("uploadUrl").GetString(), StringComparison.Ordinal);

        using var get = await Client.GetAsync("tusjs/movie.bin", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await get.Content.ReadAsStreamAsync();
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)), Convert.ToHexString(await SHA256.HashDataAsync(body)));
        Assert.Empty(await ProgressAsync("tusjs/"));
    }

    /// <summary>tests/tus-js-client, with its packages installed (scripts/test.sh runs npm ci there).</summary>
    private static string TusJsClientFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Davit.slnx")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("The repository root (Davit.slnx) is not above the tests."), "tests", "tus-js-client");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "tus-js-client")))
        {
            throw new InvalidOperationException($"tus-js-client is not installed in {folder}; run scripts/test.sh (it runs npm ci there).");
        }

        return folder;
    }
}
