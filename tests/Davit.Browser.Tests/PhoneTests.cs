namespace Davit.Browser.Tests;

/// <summary>
/// The page at phone width (390 × 844 CSS pixels), in the dark colour scheme: nothing wider than the screen, the
/// queue as a sheet.
/// </summary>
public sealed class PhoneTests(BrowserFixture browser) : PageTest(browser)
{
    protected override int ViewportWidth => 390;

    protected override int ViewportHeight => 844;

    protected override Microsoft.Playwright.ColorScheme ColorScheme => Microsoft.Playwright.ColorScheme.Dark;

    [Fact]
    public async Task At_Phone_Width_Nothing_Is_Wider_Than_The_Screen_And_Uploads_Show()
    {
        Directory.CreateDirectory(Server.OnDisk("Holiday photos from the summer of 2026"));
        for (var i = 0; i < 12; i++)
        {
            await File.WriteAllBytesAsync(Server.OnDisk($"a-rather-long-document-name-number-{i}.pdf"), new byte[1000 * (i + 1)]);
        }

        await OpenAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways at phone width.");
        await ScreenshotAsync("phone-listing");

        await ThrottleUploadsAsync(512 * 1024);
        await PickFilesAsync(RandomFile("clip.mp4", 4 * 1024 * 1024, seed: 9));
        var row = UploadRow("clip.mp4");
        await WaitForAsync(async () => await ConfirmedAsync(row) > 0, TimeSpan.FromSeconds(30), "the first confirmed bytes");
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The upload panel is wider than the screen.");
        var panel = await Page.Locator("section.uploads").BoundingBoxAsync();
        Assert.NotNull(panel);
        Assert.InRange(panel.Width, 380, 390);
        await ScreenshotAsync("phone-uploading");
        await ThrottleUploadsAsync(-1);
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "done", TimeSpan.FromSeconds(30), "the upload to finish");
    }
}
