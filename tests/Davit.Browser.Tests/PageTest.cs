using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Davit.Conformance.Http;
using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>
/// A test that drives the browser page: its own server and its own browser context (fresh cookies and storage),
/// with helpers for what a person does and sees. Screenshots go to .test-output/browser/.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class PageTest(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly XNamespace ITHit = "ithit";
    private readonly List<string> temporaryFolders = [];
    private ICDPSession? cdp;

    protected PageServer Server { get; private set; } = null!;

    protected IBrowserContext Context { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    /// <summary>Every URL the page asked for: a test can check that none left the server.</summary>
    protected List<string> Requests { get; } = [];

    protected virtual string Prefix => "/";

    protected virtual int ViewportWidth => 1280;

    protected virtual int ViewportHeight => 860;

    protected virtual ColorScheme ColorScheme => ColorScheme.Light;

    public virtual async Task InitializeAsync()
    {
        Server = await StartServerAsync();
        Context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = ViewportWidth, Height = ViewportHeight },
            Locale = "en-GB",
            TimezoneId = "UTC",
            ColorScheme = ColorScheme,
        });
        Context.SetDefaultTimeout(30_000);
        Page = await Context.NewPageAsync();
        Page.Request += (_, request) => Requests.Add(request.Url);
        // Leaving a page with uploads running asks first; the tests that reload mean it.
        Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Context.CloseAsync();
        await Server.DisposeAsync();
        foreach (var folder in temporaryFolders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    protected virtual Task<PageServer> StartServerAsync() => PageServer.StartAsync(Prefix);

    /// <summary>Opens a folder of the server ("", "docs/") and waits for its listing.</summary>
    protected async Task OpenAsync(string encodedPath = "")
    {
        await Page.GotoAsync(new Uri(Server.Url, encodedPath).ToString());
        await ListedAsync();
    }

    protected async Task ListedAsync() =>
        await Page.Locator("main[aria-busy=false] .grid").WaitForAsync();

    /// <summary>The row of the grid showing <paramref name="name"/>.</summary>
    protected ILocator Row(string name) =>
        Page.Locator(".grid-body .row").Filter(new LocatorFilterOptions { Has = Page.Locator("a.name", new PageLocatorOptions { HasTextRegex = Exactly(name) }) });

    protected static Regex Exactly(string text) => new("^" + Regex.Escape(text) + "$");

    protected ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = name, Exact = true });

    /// <summary>The queue row of an upload ("video.bin", or "album/" for a folder).</summary>
    protected ILocator UploadRow(string path) => Page.Locator($"li.upload[data-upload=\"{path}\"]");

    protected static async Task<long> ConfirmedAsync(ILocator uploadRow) =>
        long.Parse((await uploadRow.Locator(".bar").First.GetAttributeAsync("data-confirmed"))!, CultureInfo.InvariantCulture);

    protected static async Task<long> SendingAsync(ILocator uploadRow) =>
        long.Parse((await uploadRow.Locator(".bar").First.GetAttributeAsync("data-sending"))!, CultureInfo.InvariantCulture);

    /// <summary>Chooses files with the "Upload files" button, as a person does.</summary>
    protected async Task PickFilesAsync(params string[] paths)
    {
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Button("Upload files").ClickAsync());
        await chooser.SetFilesAsync(paths);
    }

    /// <summary>Limits the page's upload speed (DevTools network emulation), in bytes per second.</summary>
    protected async Task ThrottleUploadsAsync(long bytesPerSecond)
    {
        uploadThroughput = bytesPerSecond;
        await EmulateNetworkAsync(offline: false);
    }

    /// <summary>Cuts the page's network (DevTools offline emulation, as the browser's own "Offline"), or restores it.</summary>
    protected Task SetOfflineAsync(bool offline) => EmulateNetworkAsync(offline);

    /// <summary>
    /// Drops files or folders from the disk on the page, through Chromium's own drag and drop (DevTools
    /// Input.dispatchDragEvent): the page gets them as from a file manager, folders included.
    /// </summary>
    protected async Task DropAsync(params string[] paths)
    {
        cdp ??= await Context.NewCDPSessionAsync(Page);
        var data = new Dictionary<string, object> { ["items"] = Array.Empty<object>(), ["files"] = paths, ["dragOperationsMask"] = 1 };
        foreach (var type in new[] { "dragEnter", "dragOver", "drop" })
        {
            await cdp.SendAsync("Input.dispatchDragEvent", new Dictionary<string, object> { ["type"] = type, ["x"] = 600, ["y"] = 400, ["data"] = data });
        }
    }

    private long uploadThroughput = -1;

    private async Task EmulateNetworkAsync(bool offline)
    {
        cdp ??= await Context.NewCDPSessionAsync(Page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = offline,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = uploadThroughput,
        });
    }

    /// <summary>Waits for a condition, checking every 100 ms, and fails with <paramref name="what"/> after the timeout.</summary>
    protected static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The server's upload-progress REPORT for a file: bytes held and total, or null when none.</summary>
    protected async Task<(long Bytes, long Total)?> ReportAsync(string encodedPath)
    {
        var response = await Server.Client.SendAsync("REPORT", encodedPath, Dav.Xml("<i:upload-progress xmlns:i=\"ithit\"/>"));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        var report = await Dav.MultistatusAsync(response);
        var bytes = report.Descendants(ITHit + "bytes-uploaded").SingleOrDefault();
        var total = report.Descendants(ITHit + "total-content-length").SingleOrDefault();
        return bytes is null || total is null ? null : (long.Parse(bytes.Value, CultureInfo.InvariantCulture), long.Parse(total.Value, CultureInfo.InvariantCulture));
    }

    /// <summary>How many uploads in progress the server lists below a folder.</summary>
    protected async Task<int> UploadsInProgressAsync(string encodedFolder = "")
    {
        var response = await Server.Client.SendAsync("REPORT", encodedFolder, Dav.Xml("<i:upload-progress xmlns:i=\"ithit\"/>"));
        return (await Dav.MultistatusAsync(response)).Root!.Elements(Dav.D + "response").Count();
    }

    /// <summary>A file of random bytes in a temporary folder, deleted after the test.</summary>
    protected string RandomFile(string name, long length, int seed = 1)
    {
        var folder = TemporaryFolder();
        var path = Path.Combine(folder, name);
        var random = new Random(seed);
        var buffer = new byte[1024 * 1024];
        using var file = File.Create(path);
        for (var left = length; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }

        return path;
    }

    protected string TemporaryFolder()
    {
        var folder = Directory.CreateTempSubdirectory("davit-browser-files-").FullName;
        temporaryFolders.Add(folder);
        return folder;
    }

    protected static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>Saves what the page shows now as .test-output/browser/<paramref name="name"/>.png.</summary>
    protected async Task ScreenshotAsync(string name, bool fullPage = false)
    {
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(name), FullPage = fullPage });
    }

    protected static string ScreenshotPath(string name) => Screenshots.PathOf(name);
}

/// <summary>Where screenshots go: .test-output/browser/ in the repository (found from the test binaries).</summary>
internal static class Screenshots
{
    private static readonly string Folder = Find();

    public static string PathOf(string name)
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, name + ".png");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Davit.slnx")))
            {
                return Path.Combine(dir.FullName, ".test-output", "browser");
            }
        }

        return Path.Combine(Path.GetTempPath(), "davit-browser-screenshots");
    }
}
