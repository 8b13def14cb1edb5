namespace Davit.Browser.Tests;

/// <summary>The page with the store mounted at /dav: every link, asset and request stays below the prefix.</summary>
public sealed class PrefixTests(BrowserFixture browser) : PageTest(browser)
{
    protected override string Prefix => "/dav";

    [Fact]
    public async Task Under_A_Prefix_Browsing_And_Uploading_Stay_Below_It_And_On_This_Server()
    {
        Directory.CreateDirectory(Server.OnDisk("shared"));
        await OpenAsync();
        Assert.EndsWith("/dav/", Page.Url, StringComparison.Ordinal);

        await Row("shared").Locator("a.name").ClickAsync();
        await Page.WaitForURLAsync(new Uri(Server.Url, "shared/").ToString());
        var source = RandomFile("small file.txt", 200_000, seed: 4);
        var empty = Path.Combine(Path.GetDirectoryName(source)!, "résumé #2.txt");
        await File.WriteAllBytesAsync(empty, []);
        await PickFilesAsync(source, empty);
        await Row("small file.txt").WaitForAsync();
        await Row("résumé #2.txt").WaitForAsync();
        Assert.Equal(Sha256(source), Sha256(Server.OnDisk("shared/small file.txt")));
        Assert.Equal(0, new FileInfo(Server.OnDisk("shared/résumé #2.txt")).Length);
        Assert.Equal("/dav/shared/small%20file.txt", await Row("small file.txt").GetAttributeAsync("data-href"));
        Assert.Equal("/dav/shared/r%C3%A9sum%C3%A9%20%232.txt", await Row("résumé #2.txt").GetAttributeAsync("data-href"));

        await Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await Page.WaitForURLAsync(Server.Url.ToString());
        await Row("shared").WaitForAsync();
        await Page.GoBackAsync();
        await Row("small file.txt").WaitForAsync();

        var origin = Server.Url.GetLeftPart(UriPartial.Authority);
        Assert.All(Requests, url => Assert.True(url.StartsWith(origin + "/dav/", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), url));
    }
}
