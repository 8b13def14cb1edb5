using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>Whole folders dropped on the page: created with MKCOL, uploaded file by file, and cancelled as one.</summary>
public sealed class FolderDropTests(BrowserFixture browser) : PageTest(browser)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_Dropped_Folder_Of_20_Files_In_3_Subfolders_Arrives_Whole()
    {
        var album = MakeFolder("album", ["raw", "edited", "notes"], files: 20, minSize: 20_000, maxSize: 1_500_000);
        await OpenAsync();

        await DropAsync(album);
        var group = UploadRow("album/");
        await group.WaitForAsync();
        Assert.Equal("20", await group.GetAttributeAsync("data-count"));
        await group.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "album/", Exact = true }).ClickAsync();
        await WaitForAsync(async () => await group.GetAttributeAsync("data-state") == "done", TimeSpan.FromSeconds(60), "the folder to arrive");

        var sent = Directory.GetFiles(album, "*", SearchOption.AllDirectories);
        var arrived = Directory.GetFiles(Server.OnDisk("album"), "*", SearchOption.AllDirectories);
        Assert.Equal(20, arrived.Length);
        Assert.Equal(["edited", "notes", "raw"], Directory.GetDirectories(Server.OnDisk("album")).Select(Path.GetFileName).Order());
        foreach (var file in sent)
        {
            Assert.Equal(Sha256(file), Sha256(Server.OnDisk("album/" + Path.GetRelativePath(album, file).Replace('\\', '/'))));
        }

        Assert.Equal(0, await UploadsInProgressAsync());
        await Row("album").WaitForAsync();
        await ScreenshotAsync("folder-dropped");
    }

    [Fact]
    public async Task Cancelling_A_Dropped_Folder_Midway_Leaves_Nothing_Behind()
    {
        var before = FillWithEverydayFiles();
        var photos = MakeFolder("holiday-2026", ["beach", "city", "mountains"], files: 9, minSize: (int)(2 * MiB), maxSize: (int)(3 * MiB));
        await OpenAsync();
        await ThrottleUploadsAsync(3 * MiB);

        await DropAsync(photos);
        var group = UploadRow("holiday-2026/");
        await group.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "holiday-2026/", Exact = true }).ClickAsync();
        await WaitForAsync(async () => int.Parse((await group.GetAttributeAsync("data-done"))!) >= 1, TimeSpan.FromSeconds(60), "a first file to arrive");
        Assert.True(Directory.Exists(Server.OnDisk("holiday-2026")));
        Assert.True(await UploadsInProgressAsync() > 0, "Some files should be on their way when the upload is cancelled.");
        // Three at a time, by default, with the speed and the time left.
        Assert.Equal(3, Server.MaxConcurrentPuts);
        await WaitForAsync(
            async () => Regex.IsMatch(await group.Locator(".status").First.InnerTextAsync(), "^[0-9.]+ (KiB|MiB)/s, [0-9]+ s left$"),
            TimeSpan.FromSeconds(10),
            "the speed and time left");
        await ScreenshotAsync("folder-uploading");

        await group.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel holiday-2026", Exact = true }).ClickAsync();
        var dialog = Page.Locator("dialog[open]");
        Assert.Contains("already uploaded will be removed", await dialog.InnerTextAsync(), StringComparison.Ordinal);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel upload" }).ClickAsync();
        await WaitForAsync(async () => (await group.InnerTextAsync()).Contains("what it had uploaded was removed", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the cancel to finish");

        Assert.False(Directory.Exists(Server.OnDisk("holiday-2026")), "The cancelled folder is still on the server.");
        Assert.Equal(0, await UploadsInProgressAsync());
        Assert.Equal(before, Directory.GetFileSystemEntries(Server.Root).Select(Path.GetFileName).Order());
        await Row("holiday-2026").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await ScreenshotAsync("folder-cancelled");
    }

    /// <summary>Puts what a shared folder usually holds in the root; returns the names there (".davit" included).</summary>
    private string[] FillWithEverydayFiles()
    {
        foreach (var folder in new[] { "Documents", "Music", "Shared with Sam" })
        {
            Directory.CreateDirectory(Server.OnDisk(folder));
        }

        var random = new Random(11);
        foreach (var (file, size) in new[] { ("budget-2026.xlsx", 48_213), ("meeting notes.md", 3_912), ("quarterly report.pdf", 1_843_200), ("roadmap.pptx", 5_242_880), ("song.mp3", 4_718_592), ("backup.zip", 734_003), ("README.txt", 1_024) })
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            File.WriteAllBytes(Server.OnDisk(file), bytes);
        }

        return Directory.GetFileSystemEntries(Server.Root).Select(Path.GetFileName).Order().ToArray()!;
    }

    /// <summary>A folder with <paramref name="subfolders"/>, the files spread over them, of random sizes and bytes.</summary>
    private string MakeFolder(string name, string[] subfolders, int files, int minSize, int maxSize)
    {
        var top = Path.Combine(TemporaryFolder(), name);
        var random = new Random(name.Length * 7919 + files);
        for (var i = 0; i < files; i++)
        {
            var folder = Path.Combine(top, subfolders[i % subfolders.Length]);
            Directory.CreateDirectory(folder);
            var bytes = new byte[random.Next(minSize, maxSize)];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(folder, $"{name}-{i:00}.bin"), bytes);
        }

        return top;
    }
}
