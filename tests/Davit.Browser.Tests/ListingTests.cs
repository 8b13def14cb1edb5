using System.Globalization;
using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>A folder of 10,000 files: it opens, scrolls, sorts and filters (the time it took to show is written to
/// .test-output/browser/listing-10000-ms.txt).</summary>
public sealed class ListingTests(BrowserFixture browser) : PageTest(browser)
{
    private const int Count = 10_000;

    [Fact]
    public async Task A_Folder_Of_10000_Files_Opens_Scrolls_Sorts_And_Filters()
    {
        var folder = Server.OnDisk("many");
        Directory.CreateDirectory(folder);
        for (var i = 0; i < Count; i++)
        {
            // Sizes that sort differently from names: the largest is file-00000, with 10,000 bytes.
            File.WriteAllBytes(Path.Combine(folder, $"file-{i:00000}.txt"), new byte[Count - i]);
        }

        // A server that has answered before (as one a person opens a folder on has): its code is compiled and the
        // page's assets are in the browser's cache. The time the listing took to show is written down, not asserted:
        // the test machine is shared, and speed is measured by benchmarks.
        await OpenAsync();
        await Page.GotoAsync(new Uri(Server.Url, "many/").ToString());
        await ListedAsync();
        await Row("file-00000.txt").WaitForAsync();
        var shown = await Page.EvaluateAsync<double>("() => performance.getEntriesByName('davit-listing-shown')[0].startTime");
        var timings = await Page.EvaluateAsync<string>("() => JSON.stringify(performance.getEntries().map(e => [e.entryType, e.name.slice(-40), Math.round(e.startTime), Math.round(e.duration)]))");
        File.WriteAllText(
            Path.Combine(Path.GetDirectoryName(ScreenshotPath("x"))!, "listing-10000-ms.txt"),
            shown.ToString("0", CultureInfo.InvariantCulture) + "\n" + timings);

        var grid = Page.GetByRole(AriaRole.Grid);
        Assert.Equal((Count + 1).ToString(CultureInfo.InvariantCulture), await grid.GetAttributeAsync("aria-rowcount"));
        Assert.Equal("file-00000.txt", await FirstNameAsync());
        Assert.Contains("10,000 items", await Page.Locator(".summary").InnerTextAsync(), StringComparison.Ordinal);
        // Only the rows in view are in the page.
        Assert.InRange(await Page.Locator(".grid-body .row").CountAsync(), 10, 80);
        await ScreenshotAsync("listing-10000");

        // End goes to the last file, and the rows around it are drawn.
        await grid.FocusAsync();
        await Page.Keyboard.PressAsync("End");
        await Row("file-09999.txt").WaitForAsync();
        Assert.Equal("true", await Row("file-09999.txt").GetAttributeAsync("aria-selected"));
        Assert.InRange(await Page.Locator(".grid-body .row").CountAsync(), 10, 80);

        // Size, largest first: file-00000 has 10,000 bytes.
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Size" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Size" }).ClickAsync();
        Assert.Equal("descending", await Page.Locator(".head .c-size").GetAttributeAsync("aria-sort"));
        await Page.EvaluateAsync("() => window.scrollTo(0, 0)");

        // The rows in view are drawn after the scroll event, not during scrollTo.
        await WaitForAsync(async () => await FirstNameAsync() == "file-00000.txt", TimeSpan.FromSeconds(5), "the top rows after scrolling up");
        Assert.Equal("file-00000.txt", await FirstNameAsync());
        Assert.Contains("9.8 KiB", await Page.Locator(".grid-body .row").First.InnerTextAsync(), StringComparison.Ordinal);
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Size" }).ClickAsync();
        Assert.Equal("file-09999.txt", await FirstNameAsync());

        await Page.GetByLabel("Filter by name").FillAsync("file-0999");
        await WaitForAsync(async () => await Page.Locator(".grid-body .row").CountAsync() == 10, TimeSpan.FromSeconds(5), "ten matches");
        Assert.Contains("10 of 10,000 items", await Page.Locator(".summary").InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync("listing-filtered");
        await Page.GetByLabel("Filter by name").FillAsync("no such name");
        await Page.GetByText("No names here contain “no such name”.").WaitForAsync();
    }

    private async Task<string> FirstNameAsync() =>
        await Page.Locator(".grid-body .row").First.Locator("a.name").InnerTextAsync();
}
