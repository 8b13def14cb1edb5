using Microsoft.Playwright;

namespace Davit.Browser.Tests;

/// <summary>The page by keyboard alone: Tab to the grid, arrows, Enter, Backspace, type-ahead, F2, Delete.</summary>
public sealed class KeyboardTests(BrowserFixture browser) : PageTest(browser)
{
    [Fact]
    public async Task The_Page_Is_Usable_By_Keyboard_Alone()
    {
        Directory.CreateDirectory(Server.OnDisk("docs"));
        await File.WriteAllTextAsync(Server.OnDisk("docs/inner.txt"), "inside");
        await File.WriteAllTextAsync(Server.OnDisk("notes.txt"), "notes");
        await File.WriteAllTextAsync(Server.OnDisk("report.txt"), "report");
        await OpenAsync();

        var focusable = new List<string>();
        for (var i = 0; i < 20 && !await Page.EvaluateAsync<bool>("() => document.activeElement?.getAttribute('role') === 'grid'"); i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            focusable.Add(await Page.EvaluateAsync<string>("() => document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent?.trim() || ''"));
        }

        Assert.Equal("grid", await Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('role')"));
        Assert.Contains("Upload files", focusable);
        Assert.Contains("Filter by name", focusable);

        // The grid is one tab stop; the first row is the active one.
        Assert.Equal("row-0", await Page.GetByRole(AriaRole.Grid).GetAttributeAsync("aria-activedescendant"));
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(new Uri(Server.Url, "docs/").ToString());
        await Row("inner.txt").WaitForAsync();
        Assert.Equal("grid", await Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('role')"));
        await Page.Keyboard.PressAsync("Backspace");
        await Page.WaitForURLAsync(Server.Url.ToString());
        await Row("notes.txt").WaitForAsync();

        // Type-ahead, then F2 renames the active file.
        await Page.Keyboard.TypeAsync("n");
        Assert.Equal("true", await Row("notes.txt").GetAttributeAsync("aria-selected"));
        await ScreenshotAsync("keyboard-selected");
        await Page.Keyboard.PressAsync("F2");
        // A person types once the dialog shows its field; keys sent before that would go to the grid.
        await Page.WaitForFunctionAsync("() => document.activeElement?.id === 'dialog-input' && document.activeElement.selectionEnd === 5");
        await Page.Keyboard.TypeAsync("minutes");
        await Page.Keyboard.PressAsync("Enter");
        await Row("minutes.txt").WaitForAsync();
        Assert.Equal("notes", await File.ReadAllTextAsync(Server.OnDisk("minutes.txt")));
        Assert.Equal("grid", await Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('role')"));

        // Shift+Tab reaches the toolbar; its buttons act on the selection.
        await Page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("true", await Row("report.txt").GetAttributeAsync("aria-selected"));
        for (var i = 0; i < 10 && await Page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()") != "Copy"; i++)
        {
            await Page.Keyboard.PressAsync("Shift+Tab");
        }

        await Page.Keyboard.PressAsync("Enter");
        var dialog = Page.Locator("dialog[open]");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "docs" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await dialog.Locator("[aria-current=location]", new LocatorLocatorOptions { HasTextString = "docs" }).WaitForAsync();
        await Page.Keyboard.PressAsync("Escape");
        await dialog.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.False(File.Exists(Server.OnDisk("docs/report.txt")), "Escape must cancel the copy.");

        // Delete asks first; Enter confirms.
        await Page.GetByRole(AriaRole.Grid).FocusAsync();
        await Page.Keyboard.PressAsync("Delete");
        await dialog.WaitForAsync();
        Assert.Contains("Delete “report.txt”?", await dialog.InnerTextAsync(), StringComparison.Ordinal);
        await Page.Keyboard.PressAsync("Enter");
        await Row("report.txt").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.False(File.Exists(Server.OnDisk("report.txt")));
    }
}
