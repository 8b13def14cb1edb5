using System.Globalization;
using System.Text.RegularExpressions;
using Davit.Conformance.Http;
using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>New folder, rename, move, copy and delete through the page, checked on disk; failures in plain words.</summary>
public sealed class ActionTests(BrowserFixture browser) : PageTest(browser)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await File.WriteAllTextAsync(Server.OnDisk("notes.txt"), "meeting notes");
        await File.WriteAllBytesAsync(Server.OnDisk("photo.jpg"), new byte[300_000]);
        await File.WriteAllTextAsync(Server.OnDisk("plan.pdf"), "%PDF-1.7 plan");
    }

    [Fact]
    public async Task New_Folder_Rename_Move_Copy_And_Delete_Do_What_They_Say()
    {
        await OpenAsync();

        await Button("New folder").ClickAsync();
        await Page.GetByLabel("Name of the new folder").FillAsync("Reports");
        await Page.Keyboard.PressAsync("Enter");
        await Row("Reports").WaitForAsync();
        Assert.True(Directory.Exists(Server.OnDisk("Reports")));

        await Row("notes.txt").Locator(".c-size").ClickAsync();
        await Button("Rename").ClickAsync();
        var name = Page.GetByLabel("New name");
        Assert.Equal("notes.txt", await name.InputValueAsync());
        await name.FillAsync("minutes.txt");
        await Page.Keyboard.PressAsync("Enter");
        await Row("minutes.txt").WaitForAsync();
        Assert.False(File.Exists(Server.OnDisk("notes.txt")));
        Assert.Equal("meeting notes", await File.ReadAllTextAsync(Server.OnDisk("minutes.txt")));

        await Row("photo.jpg").Locator(".c-size").ClickAsync();
        await Button("Move").ClickAsync();
        var dialog = Page.Locator("dialog[open]");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Reports" }).ClickAsync();
        await dialog.Locator("[aria-current=location]", new LocatorLocatorOptions { HasTextString = "Reports" }).WaitForAsync();
        await ScreenshotAsync("move-dialog");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Move here" }).ClickAsync();
        await Row("photo.jpg").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.False(File.Exists(Server.OnDisk("photo.jpg")));
        Assert.Equal(300_000, new FileInfo(Server.OnDisk("Reports/photo.jpg")).Length);

        await Row("plan.pdf").Locator(".c-size").ClickAsync();
        await Button("Copy").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Reports" }).ClickAsync();
        await dialog.Locator("[aria-current=location]", new LocatorLocatorOptions { HasTextString = "Reports" }).WaitForAsync();
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Copy here" }).ClickAsync();
        await WaitForAsync(() => Task.FromResult(File.Exists(Server.OnDisk("Reports/plan.pdf"))), TimeSpan.FromSeconds(10), "the copy");
        Assert.Equal("%PDF-1.7 plan", await File.ReadAllTextAsync(Server.OnDisk("plan.pdf")));
        Assert.Equal("%PDF-1.7 plan", await File.ReadAllTextAsync(Server.OnDisk("Reports/plan.pdf")));

        // Several at once: click one, Ctrl+click another.
        await Row("minutes.txt").Locator(".c-size").ClickAsync();
        await Row("plan.pdf").Locator(".c-size").ClickAsync(new LocatorClickOptions { Modifiers = [KeyboardModifier.Control] });
        Assert.Contains("2 selected", await Page.Locator(".summary").InnerTextAsync(), StringComparison.Ordinal);
        await Button("Delete").ClickAsync();
        Assert.Contains("Delete 2 items?", await dialog.InnerTextAsync(), StringComparison.Ordinal);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        await Row("plan.pdf").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.False(File.Exists(Server.OnDisk("minutes.txt")));
        Assert.False(File.Exists(Server.OnDisk("plan.pdf")));
        Assert.True(File.Exists(Server.OnDisk("Reports/plan.pdf")));

        await Row("Reports").Locator("a.name").ClickAsync();
        await Page.WaitForURLAsync(new Uri(Server.Url, "Reports/").ToString());
        await Row("photo.jpg").WaitForAsync();
        Assert.Equal(2, await Page.Locator(".grid-body .row").CountAsync());
        await ScreenshotAsync("actions-done");
    }

    [Fact]
    public async Task A_Locked_File_Is_Said_To_Be_Locked_By_Its_Owner_Until_Its_Timeout()
    {
        var locked = await Server.Client.SendAsync(
            "LOCK",
            "plan.pdf",
            Dav.Xml("<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>alice</D:owner></D:lockinfo>"),
            ("Timeout", "Second-600"));
        Assert.Equal(200, (int)locked.StatusCode);
        var until = DateTimeOffset.UtcNow.AddSeconds(600);
        await OpenAsync();

        await Row("plan.pdf").Locator(".c-size").ClickAsync();
        await Button("Delete").ClickAsync();
        await Page.Locator("dialog[open]").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        var alert = Page.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        var text = await alert.InnerTextAsync();
        var match = Regex.Match(text, "Could not delete “plan\\.pdf”: it is locked by alice until (\\d\\d):(\\d\\d)\\.");
        Assert.True(match.Success, $"The page said: {text}");
        // The page runs in UTC (the test sets its time zone); the lock ends ten minutes from now.
        var shown = new DateTimeOffset(until.Year, until.Month, until.Day, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0, TimeSpan.Zero);
        Assert.InRange((shown - until).TotalMinutes, -2, 1);
        Assert.True(File.Exists(Server.OnDisk("plan.pdf")));
        await ScreenshotAsync("error-locked");
    }

    [Fact]
    public async Task Replacing_A_File_That_Changed_Meanwhile_Says_So_And_Keeps_The_Newer_One()
    {
        var source = Path.Combine(TemporaryFolder(), "notes.txt");
        await File.WriteAllTextAsync(source, "my version");
        await OpenAsync();

        await PickFilesAsync(source);
        var dialog = Page.Locator("dialog[open]");
        Assert.Contains("A file with this name exists", await dialog.InnerTextAsync(), StringComparison.Ordinal);
        await dialog.GetByLabel("Replace").CheckAsync();

        // Someone else saves the file while the question is open.
        Assert.Equal(204, (int)(await Server.Client.PutAsync("notes.txt", "their version")).StatusCode);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Upload" }).ClickAsync();

        var row = UploadRow("notes.txt");
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "failed", TimeSpan.FromSeconds(15), "the upload to fail");
        Assert.Contains("The file changed meanwhile", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("their version", await File.ReadAllTextAsync(Server.OnDisk("notes.txt")));
        await ScreenshotAsync("error-changed-meanwhile");
    }
}
