namespace Davit.Browser.Tests;

/// <summary>
/// A page someone uploaded, opened by someone else in Chromium: it is shown, but its script does not run, so it cannot
/// act with the viewer's credentials on the server it came from.
/// </summary>
public sealed class UploadedPageTests(BrowserFixture browser) : PageTest(browser)
{
    [Fact]
    public async Task An_Uploaded_Html_Page_Is_Shown_Without_Running_Its_Script()
    {
        await File.WriteAllTextAsync(Server.OnDisk("secret.txt"), "only for the viewer");
        await File.WriteAllTextAsync(Server.OnDisk("trap.html"), """
            <!doctype html><html><head><title>as stored</title></head>
            <body><p id="text">An uploaded page.</p>
            <script>document.title = "script ran"; fetch("secret.txt").then(r => r.text()).then(t => document.body.dataset.stolen = t);</script>
            </body></html>
            """);

        var response = await Page.GotoAsync(new Uri(Server.Url, "trap.html").ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal("An uploaded page.", await Page.Locator("#text").InnerTextAsync());
        await ScreenshotAsync("uploaded-page-sandboxed");
        // The script would have run by the time the page has loaded; give a fetch a moment to be sent all the same.
        await Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        Assert.Equal("as stored", await Page.TitleAsync());
        Assert.DoesNotContain(Requests, url => url.EndsWith("/secret.txt", StringComparison.Ordinal));
        Assert.Null(await Page.Locator("body").GetAttributeAsync("data-stolen"));
    }
}
