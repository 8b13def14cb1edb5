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
        var photos = MakeFolder("photos", ["2024", "2025", "misc"], files: 9, minSize: (int)(2 * MiB), maxSize: (int)(3 * MiB));
        await OpenAsync();
        await ThrottleUploadsAsync(3 * MiB);

        await DropAsync(photos);
        var group = UploadRow("photos/");
        await WaitForAsync(async () => int.Parse((await group.GetAttributeAsync("data-done"))!) >= 1, TimeSpan.FromSeconds(60), "a first file to arrive");
        Assert.True(Directory.Exists(Server.OnDisk("photos")));
        Assert.True(await UploadsInProgressAsync() > 0, "Some files should be on their way when the upload is cancelled.");

        await group.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel photos" }).ClickAsync();
        var dialog = Page.Locator("dialog[open]");
        Assert.Contains("already uploaded will be removed", await dialog.InnerTextAsync(), StringComparison.Ordinal);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel upload" }).ClickAsync();
        await WaitForAsync(async () => (await group.InnerTextAsync()).Contains("what it had uploaded was removed", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the cancel to finish");

        Assert.False(Directory.Exists(Server.OnDisk("photos")), "The cancelled folder is still on the server.");
        Assert.Equal(0, await UploadsInProgressAsync());
        Assert.Equal([".davit"], Directory.GetFileSystemEntries(Server.Root).Select(Path.GetFileName));
        await Page.Locator(".empty").WaitForAsync();
        await ScreenshotAsync("folder-cancelled");
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
