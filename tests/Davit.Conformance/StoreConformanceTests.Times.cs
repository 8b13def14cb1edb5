using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    // Longer than the coarsest timestamp a store may keep (one second), so that a change that should not happen
    // would show, and one that should happen does.
    private static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(1100);

    [Fact]
    public async Task CreatedUtc_And_ModifiedUtc_Are_In_Utc_And_Current()
    {
        var before = DateTimeOffset.UtcNow;
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await Store.CreateFolderAsync("f");
        var after = DateTimeOffset.UtcNow;

        foreach (var item in new IHierarchyItem[] { await Store.GetFileAsync("a.txt"), await Store.GetFolderAsync("f") })
        {
            foreach (var time in new[] { item.CreatedUtc, item.ModifiedUtc })
            {
                Assert.Equal(TimeSpan.Zero, time.Offset);

                // Generous: a store may keep whole seconds, or take the time from another machine's clock.
                Assert.InRange(time, before.AddMinutes(-5), after.AddMinutes(5));
            }
        }
    }

    [Fact]
    public async Task Write_Moves_ModifiedUtc_Forward_On_The_Same_Item_And_On_A_Fresh_Resolve()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("old"));
        var before = (await Store.GetFileAsync("a.txt")).ModifiedUtc;
        await Task.Delay(ClockStep);

        await file.WriteBytesAsync(TestBytes.Utf8("new"));

        Assert.True(file.ModifiedUtc > before, $"ModifiedUtc stayed at {before:O}.");
        Assert.True((await Store.GetFileAsync("a.txt")).ModifiedUtc > before);
    }

    [Fact]
    public async Task UpdateProperties_Does_Not_Change_ModifiedUtc_Or_ETag_Of_A_File()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var before = await Store.GetFileAsync("a.txt");
        await Task.Delay(ClockStep);
        var name = XName.Get("color", "urn:test");

        await before.SetPropertiesAsync(new XElement(name, "red"));
        await before.RemovePropertiesAsync(name);
        await before.SetPropertiesAsync(new XElement(name, "blue"));

        var after = await Store.GetFileAsync("a.txt");
        Assert.Equal(before.ModifiedUtc, after.ModifiedUtc);
        Assert.Equal(before.ETag, after.ETag);
    }

    [Fact]
    public async Task UpdateProperties_Does_Not_Change_ModifiedUtc_Of_A_Folder()
    {
        await Store.CreateFolderAsync("f");
        var before = await Store.GetFolderAsync("f");
        await Task.Delay(ClockStep);

        await before.SetPropertiesAsync(new XElement(XName.Get("color", "urn:test"), "red"));

        Assert.Equal(before.ModifiedUtc, (await Store.GetFolderAsync("f")).ModifiedUtc);
    }
}
