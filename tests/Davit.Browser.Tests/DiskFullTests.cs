using System.Diagnostics;

namespace Davit.Browser.Tests;

/// <summary>
/// A disk that really fills up (the store, which keeps its uploads in progress too, on a 4 MiB tmpfs): the page says so in plain words.
/// Mounting needs root, which scripts/test.sh and CI have.
/// </summary>
public sealed class DiskFullTests(BrowserFixture browser) : PageTest(browser)
{
    private const long MiB = 1024 * 1024;
    private readonly string mountPoint = Directory.CreateTempSubdirectory("davit-browser-full-").FullName;

    protected override async Task<PageServer> StartServerAsync()
    {
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint);
        Assert.True(code == 0, $"Mounting a tmpfs needs root (scripts/test.sh runs as root): {output}");
        var root = Path.Join(mountPoint, "root");
        Directory.CreateDirectory(root);
        return await PageServer.StartAsync(root: root);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await RunAsync("umount", mountPoint);
        Directory.Delete(mountPoint, recursive: true);
    }

    [Fact]
    public async Task An_Upload_That_Does_Not_Fit_Says_The_Disk_Is_Full()
    {
        var source = RandomFile("too-big.bin", 6 * MiB, seed: 5);
        await OpenAsync();

        await PickFilesAsync(source);
        var row = UploadRow("too-big.bin");
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "failed", TimeSpan.FromSeconds(30), "the upload to fail");
        Assert.Contains("The disk is full", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Server.OnDisk("too-big.bin")));
        await ScreenshotAsync("error-disk-full");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
