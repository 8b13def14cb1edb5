using System.Diagnostics;
using Davit.Server.Tests;
using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>
/// The page behind the real server's Basic authentication (Davit.Server with a users file): the browser's
/// credentials carry every request the page makes, a home folder is the user's root, and what a user may not do
/// is said in plain words.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AuthenticationTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private readonly string folder = Directory.CreateTempSubdirectory("davit-browser-auth-").FullName;
    private ServerProcess server = null!;

    private string Root => Path.Combine(folder, "root");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, "guests", "guest"));
        await File.WriteAllTextAsync(Path.Combine(Root, "guests", "guest", "welcome.txt"), "hello guest");
        await File.WriteAllTextAsync(Path.Combine(Root, "team plan.txt"), "the plan");
        var users = Path.Combine(folder, "users.json");
        await AddUserAsync(users, "alice");
        await AddUserAsync(users, "bob", "--read-only");
        await AddUserAsync(users, "guest", "--home", "guests/guest");
        server = await ServerProcess.StartAsync("--root", Root, "--users", users);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Behind_Basic_Authentication_Each_User_Browses_And_Uploads_As_Allowed()
    {
        var source = Path.Combine(folder, "minutes.bin");
        var bytes = new byte[3 * 1024 * 1024];
        new Random(12).NextBytes(bytes);
        await File.WriteAllBytesAsync(source, bytes);

        // alice may write everywhere: the upload goes in segments, each with her credentials.
        var alice = await OpenAsAsync("alice");
        await alice.Locator(".grid-body .row a.name", new PageLocatorOptions { HasTextString = "team plan.txt" }).WaitForAsync();
        await UploadAsync(alice, source);
        await WaitForStateAsync(alice, "minutes.bin", "done");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(Root, "minutes.bin")));

        // guest sees their home folder as the root, and uploads into it.
        var guest = await OpenAsAsync("guest");
        await guest.Locator(".grid-body .row a.name", new PageLocatorOptions { HasTextString = "welcome.txt" }).WaitForAsync();
        Assert.Equal(1, await guest.Locator(".grid-body .row").CountAsync());
        await UploadAsync(guest, source);
        await WaitForStateAsync(guest, "minutes.bin", "done");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(Root, "guests", "guest", "minutes.bin")));
        await guest.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("auth-home-folder") });

        // bob may only read: the page says so, and nothing changes.
        var bob = await OpenAsAsync("bob");
        var plan = bob.Locator(".grid-body .row").Filter(new LocatorFilterOptions { HasTextString = "team plan.txt" });
        await plan.Locator(".c-size").ClickAsync();
        await bob.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Delete", Exact = true }).ClickAsync();
        await bob.Locator("dialog[open]").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        await bob.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Equal("Could not delete “team plan.txt”: you do not have permission.", (await bob.GetByRole(AriaRole.Alert).InnerTextAsync()).Trim());
        var draft = Path.Combine(folder, "draft.txt");
        await File.WriteAllTextAsync(draft, "bob's draft");
        await UploadAsync(bob, draft);
        await WaitForStateAsync(bob, "draft.txt", "failed");
        Assert.Contains("You do not have permission", await bob.Locator("li.upload[data-upload=\"draft.txt\"]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Root, "team plan.txt")));
        Assert.False(File.Exists(Path.Combine(Root, "draft.txt")));
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("auth-read-only") });
    }

    private async Task<IPage> OpenAsAsync(string user)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = user, Password = Password },
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(server.BaseAddress.ToString());
        Assert.Equal(200, response!.Status);
        await page.Locator("main[aria-busy=false] .grid").WaitForAsync();
        return page;
    }

    private static async Task UploadAsync(IPage page, string path)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Upload files", Exact = true }).ClickAsync());
        await chooser.SetFilesAsync(path);
    }

    private static async Task WaitForStateAsync(IPage page, string upload, string state) =>
        await page.Locator($"li.upload[data-upload=\"{upload}\"][data-state=\"{state}\"]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

    /// <summary>Adds a user with the server's own command, the password piped in as a person would.</summary>
    private static async Task AddUserAsync(string usersFile, string name, params string[] options)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Davit.Server.dll"), "users", "add", name, "--password-stdin", "--users", usersFile, .. options])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(Password);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"users add {name}: {output}");
    }
}
