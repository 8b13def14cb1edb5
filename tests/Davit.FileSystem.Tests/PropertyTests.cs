using Davit.Conformance;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

public sealed class PropertyTests : IDisposable
{
    private static readonly XName Color = XName.Get("color", "urn:test");
    private static readonly XName Size = XName.Get("size", "urn:test");

    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task Properties_Survive_A_New_Store_Over_The_Same_Folder()
    {
        await bed.PutAsync("a.txt", "a");
        await bed.MkcolAsync("f");
        await SetAsync("a.txt", new XElement(Color, new XAttribute(XNamespace.Xml + "lang", "en"), "red ", new XElement(XName.Get("x", "urn:other"), "𝄞")));
        await SetAsync("f", new XElement(Size, "5"));

        bed.Restart();

        var file = await GetAsync("a.txt");
        var folder = await GetAsync("f");
        Assert.Equal("<color xml:lang=\"en\" xmlns=\"urn:test\">red <x xmlns=\"urn:other\">𝄞</x></color>", Assert.Single(file).ToXml());
        Assert.Equal("5", Assert.Single(folder).Element.Value);
        Assert.True(File.Exists(Path.Combine(bed.Root, ".davit", "davit.db")));
    }

    [Fact]
    public async Task Update_Is_All_Or_Nothing()
    {
        await bed.PutAsync("a.txt", "a");
        await SetAsync("a.txt", new XElement(Color, "red"));
        var item = Assert.IsAssignableFrom<IDeadProperties>(await bed.GetAsync("a.txt"));
        // A value that fails mid-batch: xml:space allows only "default" and "preserve", so ToXml throws. (A NUL no
        // longer does: characters XML cannot carry are stored as references and shown as U+FFFD.)
        var broken = new DeadProperty(new XElement(Size, new XAttribute(XNamespace.Xml + "space", "bogus")));

        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await item.UpdatePropertiesAsync([new PropertyUpdate(Color, null), new PropertyUpdate(Size, broken)], default));

        Assert.Equal("red", Assert.Single(await GetAsync("a.txt")).Element.Value);
    }

    [Fact]
    public async Task Names_Filter_And_Removal_Of_Missing_Succeeds()
    {
        await bed.PutAsync("a.txt", "a");
        await SetAsync("a.txt", new XElement(Color, "red"), new XElement(Size, "5"));
        var item = Assert.IsAssignableFrom<IDeadProperties>(await bed.GetAsync("a.txt"));

        await item.UpdatePropertiesAsync([new PropertyUpdate(XName.Get("nothing", "urn:test"), null)], default);

        Assert.Equal("5", Assert.Single(await item.GetPropertiesAsync([Size], default)).Element.Value);
        Assert.Equal(2, (await item.GetPropertiesAsync(null, default)).Count);
    }

    [Fact]
    public async Task ModifiedUtc_And_ETag_Do_Not_Change_When_Properties_Do()
    {
        var clock = new StoppedClock(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var timed = new StoreTestBed(timeProvider: clock);
        await timed.PutAsync("a.txt", "a");
        var before = await timed.GetFileAsync("a.txt");
        var mtime = File.GetLastWriteTimeUtc(timed.OnDisk("a.txt"));
        clock.Now = clock.Now.AddHours(1);

        await ((IDeadProperties)before).UpdatePropertiesAsync([new PropertyUpdate(Color, new DeadProperty(new XElement(Color, "red")))], default);

        var after = await timed.GetFileAsync("a.txt");
        Assert.Equal(before.ModifiedUtc, after.ModifiedUtc);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(timed.OnDisk("a.txt")));
    }

    [Fact]
    public async Task Move_Of_A_Tree_Carries_Its_Rows_And_Not_Those_Of_A_Sibling_Sharing_The_Prefix()
    {
        await BuildTreeAsync();

        await StoreTrees.MoveAsync((await bed.GetFolderAsync("a/b")), await bed.GetFolderAsync(""), "moved", null, new(), default);

        Assert.Equal("b", await ValueAsync("moved"));
        Assert.Equal("b/c", await ValueAsync("moved/c.txt"));
        Assert.Equal("bc", await ValueAsync("a/bc"));
        Assert.Equal("bc/d", await ValueAsync("a/bc/d.txt"));
        bed.Restart();
        Assert.Equal("b/c", await ValueAsync("moved/c.txt"));
        await bed.MkcolAsync("a/b");
        Assert.Empty(await GetAsync("a/b"));
    }

    [Fact]
    public async Task Deep_Copy_Duplicates_The_Rows_Of_The_Tree_Only()
    {
        await BuildTreeAsync();

        await StoreTrees.CopyAsync((await bed.GetFolderAsync("a/b")), await bed.GetFolderAsync(""), "copy", true, null, new(), default);

        Assert.Equal("b", await ValueAsync("copy"));
        Assert.Equal("b/c", await ValueAsync("copy/c.txt"));
        Assert.Equal("b/c", await ValueAsync("a/b/c.txt"));
        Assert.Equal(["c.txt"], await bed.ListAsync("copy"));
    }

    [Fact]
    public async Task Shallow_Copy_Duplicates_The_Folder_Row_Only()
    {
        await BuildTreeAsync();

        await StoreTrees.CopyAsync((await bed.GetFolderAsync("a/b")), await bed.GetFolderAsync(""), "copy", false, null, new(), default);

        Assert.Equal("b", await ValueAsync("copy"));
        Assert.Empty(await bed.ListAsync("copy"));
        await bed.PutAsync("copy/c.txt", "new");
        Assert.Empty(await GetAsync("copy/c.txt"));
    }

    [Fact]
    public async Task Delete_Of_A_Tree_Removes_Its_Rows_And_Not_Those_Of_A_Sibling_Sharing_The_Prefix()
    {
        await BuildTreeAsync();

        await StoreTrees.DeleteAsync(await bed.GetFolderAsync("a/b"), new TreeErrors(), default);
        await bed.MkcolAsync("a/b");
        await bed.PutAsync("a/b/c.txt", "again");

        Assert.Empty(await GetAsync("a/b"));
        Assert.Empty(await GetAsync("a/b/c.txt"));
        Assert.Equal("bc", await ValueAsync("a/bc"));
        Assert.Equal("bc/d", await ValueAsync("a/bc/d.txt"));
    }

    [Fact]
    public async Task A_File_Created_Where_One_Was_Deleted_Behind_The_Stores_Back_Starts_Bare()
    {
        await bed.PutAsync("a.txt", "a");
        await SetAsync("a.txt", new XElement(Color, "red"));
        File.Delete(bed.OnDisk("a.txt"));

        await bed.PutAsync("a.txt", "again");

        Assert.Empty(await GetAsync("a.txt"));
    }

    [Fact]
    public async Task Parallel_Updates_On_Many_Items_All_Land()
    {
        for (var i = 0; i < 20; i++)
        {
            await bed.PutAsync($"f{i}.txt", "x");
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
        {
            var item = (IDeadProperties)(await bed.GetAsync($"f{n % 20}.txt"))!;
            var name = XName.Get("p" + n, "urn:test");
            await item.UpdatePropertiesAsync([new PropertyUpdate(name, new DeadProperty(new XElement(name, n)))], ct);
            Assert.NotEmpty(await item.GetPropertiesAsync([name], ct));
        });

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(10, (await GetAsync($"f{i}.txt")).Count);
        }
    }

    [Fact]
    public async Task Properties_And_A_Modification_Time_In_One_Unit_Of_Work_Are_All_Or_Nothing()
    {
        await bed.PutAsync("a.txt", "a");

        // The properties are saved, then setting the time fails (the file vanished behind the server's back): the unit
        // of work is not committed, and the properties are not kept either.
        var failure = await Assert.ThrowsAsync<StoreException>(() => bed.Store.InWriteAsync(async context =>
        {
            var item = (IFile)(await bed.Store.GetHierarchyItemAsync(DavPath.Parse("a.txt"), context, default))!;
            await ((IDeadProperties)item).UpdatePropertiesAsync([new PropertyUpdate(Color, new DeadProperty(new XElement(Color, "red")))], default);
            File.Delete(bed.OnDisk("a.txt"));
            await ((IModificationTime)item).SetModifiedAsync(DateTimeOffset.UtcNow.AddDays(-1), default);
        }));

        Assert.Equal(StoreError.NotFound, failure.Error);
        await File.WriteAllTextAsync(bed.OnDisk("a.txt"), "back");
        Assert.Empty(await GetAsync("a.txt"));
    }

    // a/b (with c.txt) next to a/bc (with d.txt); each item's "color" names the item.
    private async Task BuildTreeAsync()
    {
        await bed.MkcolAsync("a");
        await bed.MkcolAsync("a/b");
        await bed.PutAsync("a/b/c.txt", "c");
        await bed.MkcolAsync("a/bc");
        await bed.PutAsync("a/bc/d.txt", "d");
        await SetAsync("a/b", new XElement(Color, "b"));
        await SetAsync("a/b/c.txt", new XElement(Color, "b/c"));
        await SetAsync("a/bc", new XElement(Color, "bc"));
        await SetAsync("a/bc/d.txt", new XElement(Color, "bc/d"));
    }

    private async Task SetAsync(string path, params XElement[] values)
    {
        var item = Assert.IsAssignableFrom<IDeadProperties>(await bed.GetAsync(path));
        await item.UpdatePropertiesAsync([.. values.Select(v => new PropertyUpdate(v.Name, new DeadProperty(v)))], default);
    }

    private async Task<IReadOnlyList<DeadProperty>> GetAsync(string path) =>
        await Assert.IsAssignableFrom<IDeadProperties>(await bed.GetAsync(path)).GetPropertiesAsync(null, default);

    private async Task<string> ValueAsync(string path) => Assert.Single(await GetAsync(path)).Element.Value;
}
