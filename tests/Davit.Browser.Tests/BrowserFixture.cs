using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>
/// One headless Chromium for all browser tests: Debian's <c>chromium</c> package (scripts/test.sh installs it),
/// driven by Playwright's .NET driver, which runs the Node.js that ships inside the NuGet package. Nothing is
/// downloaded: Playwright's own browser builds are never installed.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (scripts/test.sh does).");
        playwright = await Playwright.CreateAsync();
        var args = new List<string>();
        if (Environment.UserName == "root")
        {
            // Chromium refuses to start its sandbox as root (CI runs as root); the pages it loads are our own.
            args.Add("--no-sandbox");
        }

        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = args,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    // One browser, and one test at a time: the tests time uploads and page loads on a 2-core machine.
    public const string Name = "browser";
}
