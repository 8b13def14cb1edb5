using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>
/// Uploads through the page, over a throttled network: pause and resume, a reload in the middle, a network that
/// drops. Every figure the page shows is checked against what the server says it holds.
/// </summary>
public sealed class UploadTests(BrowserFixture browser) : PageTest(browser)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_64_MiB_Upload_Paused_At_About_30_Percent_Shows_The_Confirmed_Bytes_And_Resumes_To_The_Same_Sha256()
    {
        var source = RandomFile("video.bin", 64 * MiB);
        await OpenAsync();
        await ThrottleUploadsAsync(16 * MiB);
        await PickFilesAsync(source);
        var row = UploadRow("video.bin");

        // While it runs, the bar never shows more than the server holds.
        await WaitForAsync(async () => await ConfirmedAsync(row) > 0, TimeSpan.FromSeconds(30), "the first confirmed segment");
        var shown = await ConfirmedAsync(row);
        var held = await ReportAsync("video.bin");
        Assert.NotNull(held);
        Assert.True(held.Value.Bytes >= shown, $"The bar shows {shown} bytes, the server holds {held.Value.Bytes}.");
        Assert.Equal(64 * MiB, held.Value.Total);

        await WaitForAsync(async () => await ConfirmedAsync(row) + await SendingAsync(row) >= 64 * MiB * 3 / 10, TimeSpan.FromSeconds(60), "30 % sent");
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Pause video.bin" }).ClickAsync();
        Assert.Equal("paused", await row.GetAttributeAsync("data-state"));

        // Paused: the server keeps what arrived, and the bar shows exactly that.
        (long Bytes, long Total)? report = null;
        await WaitForAsync(
            async () => (report = await ReportAsync("video.bin")) is { } r && r.Bytes == await ConfirmedAsync(row),
            TimeSpan.FromSeconds(10),
            "the bar to show what the REPORT says");
        var paused = report!.Value.Bytes;
        Assert.InRange(paused, 64 * MiB / 5, 64 * MiB / 2);
        await Task.Delay(1500);
        Assert.Equal(paused, (await ReportAsync("video.bin"))!.Value.Bytes);
        Assert.Equal(paused, await ConfirmedAsync(row));
        Assert.Contains("Paused", await row.InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync("upload-paused");
        Assert.False(File.Exists(Server.OnDisk("video.bin")), "A paused upload must not appear as a file.");

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resume video.bin" }).ClickAsync();
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "done", TimeSpan.FromSeconds(60), "the upload to finish");

        Assert.Equal(Sha256(source), Sha256(Server.OnDisk("video.bin")));
        Assert.Equal(64 * MiB, Server.PutBytes);
        await Row("video.bin").WaitForAsync();
        Assert.Contains("64 MiB", await Row("video.bin").InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync("upload-done");
    }

    [Fact]
    public async Task A_Reload_Mid_Upload_And_The_Same_File_Picked_Again_Resumes_Instead_Of_Restarting()
    {
        var source = RandomFile("backup.bin", 64 * MiB, seed: 2);
        await OpenAsync();
        await ThrottleUploadsAsync(16 * MiB);
        await PickFilesAsync(source);
        await WaitForAsync(async () => await ConfirmedAsync(UploadRow("backup.bin")) >= 64 * MiB / 4, TimeSpan.FromSeconds(60), "a quarter confirmed");

        await Page.ReloadAsync();
        await ListedAsync();

        // After the reload the page lists the unfinished upload, with what the server holds of it.
        var ghost = Page.Locator("li.ghost[data-ghost=\"backup.bin\"]");
        await ghost.WaitForAsync();
        long held = -1;
        await WaitForAsync(
            async () => (held = (await ReportAsync("backup.bin"))!.Value.Bytes) == await ConfirmedAsync(ghost),
            TimeSpan.FromSeconds(15),
            "the unfinished upload to show what the server holds");
        Assert.InRange(held, 64 * MiB / 4, 64 * MiB - 1);
        await ScreenshotAsync("upload-after-reload");

        // The same file picked again continues from there, without a question.
        var before = Server.PutBytes;
        await ThrottleUploadsAsync(16 * MiB);
        await PickFilesAsync(source);
        var row = UploadRow("backup.bin");
        await row.WaitForAsync();
        Assert.Equal(0, await Page.Locator("dialog[open]").CountAsync());
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "done", TimeSpan.FromSeconds(60), "the upload to finish");

        var sentAfterReload = Server.PutBytes - before;
        Assert.True(sentAfterReload < 64 * MiB, $"{sentAfterReload} bytes were sent after the reload: the upload started over.");
        Assert.Equal(64 * MiB - held, sentAfterReload);
        Assert.Equal(Sha256(source), Sha256(Server.OnDisk("backup.bin")));
        await Page.Locator("li.ghost").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    [Fact]
    public async Task Cutting_The_Network_Mid_Upload_Leads_To_An_Automatic_Retry_And_The_Upload_Finishes()
    {
        var source = RandomFile("archive.bin", 24 * MiB, seed: 3);
        await OpenAsync();
        await ThrottleUploadsAsync(4 * MiB);
        await PickFilesAsync(source);
        var row = UploadRow("archive.bin");
        await WaitForAsync(async () => await ConfirmedAsync(row) + await SendingAsync(row) >= 24 * MiB * 3 / 10, TimeSpan.FromSeconds(60), "30 % sent");

        await SetOfflineAsync(true);
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "waiting", TimeSpan.FromSeconds(15), "the page to notice the network is gone");
        Assert.Matches("Waiting for the network|Connection lost", await row.InnerTextAsync());
        await ScreenshotAsync("upload-offline");
        await Task.Delay(1000);
        var held = (await ReportAsync("archive.bin"))!.Value.Bytes;
        Assert.InRange(held, 1, 24 * MiB - 1);

        // Nobody clicks anything: the network comes back and the upload goes on from what the server holds.
        await SetOfflineAsync(false);
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "done", TimeSpan.FromSeconds(60), "the upload to finish by itself");
        Assert.Equal(Sha256(source), Sha256(Server.OnDisk("archive.bin")));
        Assert.Equal(24 * MiB, Server.PutBytes);
    }

    [Fact]
    public async Task An_Upload_Sent_From_Elsewhere_Shows_In_The_Folder_Until_It_Is_A_File()
    {
        var bytes = new byte[3_000_000];
        new Random(6).NextBytes(bytes);
        Assert.Equal(308, (int)(await SegmentAsync("shared.bin", bytes, 0, 1_000_000)).StatusCode);
        await OpenAsync();

        var ghost = Page.Locator("li.ghost[data-ghost=\"shared.bin\"]");
        await ghost.WaitForAsync();
        Assert.Equal(1_000_000, await ConfirmedAsync(ghost));
        Assert.Contains("0.95 of 2.86 MiB", await ghost.InnerTextAsync(), StringComparison.Ordinal);

        // Someone goes on sending it: the page sees the bytes grow.
        Assert.Equal(308, (int)(await SegmentAsync("shared.bin", bytes, 1_000_000, 2_000_000)).StatusCode);
        await WaitForAsync(async () => (await ghost.InnerTextAsync()).Contains("Uploading elsewhere", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the page to see it move");
        Assert.Equal(2_000_000, await ConfirmedAsync(ghost));
        await ScreenshotAsync("upload-elsewhere");

        Assert.Equal(201, (int)(await SegmentAsync("shared.bin", bytes, 2_000_000, 3_000_000)).StatusCode);
        await Row("shared.bin").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await ghost.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    [Fact]
    public async Task An_Unfinished_Upload_This_Browser_Did_Not_Start_Continues_Only_When_Asked_To()
    {
        var source = RandomFile("survey.bin", 3 * MiB, seed: 10);
        var bytes = await File.ReadAllBytesAsync(source);
        Assert.Equal(308, (int)(await SegmentAsync("survey.bin", bytes, 0, (int)MiB)).StatusCode);
        await OpenAsync();
        var before = Server.PutBytes;

        await PickFilesAsync(source);
        var dialog = Page.Locator("dialog[open]");
        await dialog.WaitForAsync();
        Assert.Contains("survey.bin: 1.00 of 3.00 MiB there", await dialog.InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync("upload-question");
        await dialog.GetByLabel("Continue them").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Upload" }).ClickAsync();

        var row = UploadRow("survey.bin");
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "done", TimeSpan.FromSeconds(30), "the upload to finish");
        Assert.Equal(2 * MiB, Server.PutBytes - before);
        Assert.Equal(Sha256(source), Sha256(Server.OnDisk("survey.bin")));
    }

    private async Task<HttpResponseMessage> SegmentAsync(string url, byte[] bytes, int start, int end)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes, start, end - start) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {start}-{end - 1}/{bytes.Length}");
        return await Server.Client.SendAsync(request);
    }
}
