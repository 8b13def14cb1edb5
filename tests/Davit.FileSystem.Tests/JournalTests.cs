using System.Xml.Linq;
using Davit.Conformance;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

/// <summary>
/// A process killed between a write's renames and its commit: the files moved, the metadata did not. The undo journal
/// puts the files back (at the next start, or at the next write of another process over the same folder), so every
/// item is again where its properties are.
/// </summary>
public sealed class JournalTests : IDisposable
{
    private static readonly XName Color = XName.Get("color", "urn:test");

    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    private string JournalFolder => Path.Combine(bed.Root, ".davit", "journal");

    [Fact]
    public async Task A_Folder_Move_Over_A_File_Killed_Before_Its_Commit_Is_Undone_At_Restart()
    {
        await BuildAsync();

        await KilledAsync(async context => await StoreTrees.MoveAsync(
            await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/src"), context, default) ?? throw new InvalidOperationException(),
            await FolderAsync("", context), "dst.txt", await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/dst.txt"), context, default), new TreeErrors(), default));
        Assert.True(Directory.Exists(bed.OnDisk("dst.txt")), "The kill came after the rename.");
        Assert.NotEmpty(Directory.GetFiles(JournalFolder));

        bed.Restart();

        await AssertAsBuiltAsync();
    }

    [Fact]
    public async Task A_Kill_Before_The_Commit_Is_Undone_By_The_Next_Write_Of_Another_Instance()
    {
        await BuildAsync();
        using var other = new FileSystemStore(new FileSystemStoreOptions { Root = bed.Root });

        await KilledAsync(async context => await StoreTrees.MoveAsync(
            await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/src"), context, default) ?? throw new InvalidOperationException(),
            await FolderAsync("", context), "moved", null, new TreeErrors(), default));
        Assert.True(Directory.Exists(bed.OnDisk("moved")));

        // Any write of the other instance settles the journal before it starts.
        await other.InWriteAsync(async context => await (await FolderAsync(other, "", context)).CreateFolderAsync("new", default));

        Assert.False(Directory.Exists(bed.OnDisk("moved")));
        await AssertAsBuiltAsync();
    }

    [Fact]
    public async Task A_Delete_Killed_Before_Its_Commit_Is_Undone_At_Restart()
    {
        await BuildAsync();

        await KilledAsync(async context => await StoreTrees.DeleteAsync(
            await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/src"), context, default) ?? throw new InvalidOperationException(), new TreeErrors(), default));
        Assert.False(Directory.Exists(bed.OnDisk("src")));

        bed.Restart();

        await AssertAsBuiltAsync();
    }

    [Fact]
    public async Task A_Copy_Over_A_File_Killed_Before_Its_Commit_Leaves_The_File_It_Replaced()
    {
        await BuildAsync();

        await KilledAsync(async context => await StoreTrees.CopyAsync(
            await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/src"), context, default) ?? throw new InvalidOperationException(),
            await FolderAsync("", context), "dst.txt", true, await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/dst.txt"), context, default), new TreeErrors(), default));
        Assert.True(Directory.Exists(bed.OnDisk("dst.txt")));

        bed.Restart();

        await AssertAsBuiltAsync();
    }

    [Fact]
    public async Task A_Kill_After_The_Commit_Keeps_The_Move()
    {
        await BuildAsync();
        var saved = Path.Combine(bed.Base, "journal-copy");
        var name = "";

        // The journal as it was just before the commit, put back afterwards: a kill after the commit, before the
        // journal file was deleted.
        await bed.Store.InWriteAsync(async context =>
        {
            await StoreTrees.MoveAsync(
                await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/src"), context, default) ?? throw new InvalidOperationException(),
                await FolderAsync("", context), "moved", null, new TreeErrors(), default);
            var journal = Assert.Single(Directory.GetFiles(JournalFolder));
            name = Path.GetFileName(journal);
            File.Copy(journal, saved);
        });
        Assert.Empty(Directory.GetFiles(JournalFolder));
        File.Copy(saved, Path.Combine(JournalFolder, name));

        bed.Restart();

        Assert.False(Directory.Exists(bed.OnDisk("src")));
        Assert.Equal("a", File.ReadAllText(bed.OnDisk("moved/a.txt")));
        Assert.Equal("src", await ColorAsync("moved"));
        Assert.Equal("src/a.txt", await ColorAsync("moved/a.txt"));
        Assert.Empty(Directory.GetFiles(JournalFolder));
    }

    [Fact]
    public async Task A_Journal_Entry_Cut_Short_By_The_Kill_Is_Ignored()
    {
        await BuildAsync();
        await KilledAsync(async context => await StoreTrees.MoveAsync(
            await bed.Store.GetHierarchyItemAsync(DavPath.Parse("/src"), context, default) ?? throw new InvalidOperationException(),
            await FolderAsync("", context), "moved", null, new TreeErrors(), default));
        File.AppendAllText(Assert.Single(Directory.GetFiles(JournalFolder)), "[\"Rsrc\",\"Rmo");

        bed.Restart();

        await AssertAsBuiltAsync();
    }

    // src/ (a.txt, sub/b.txt) and dst.txt, each with a color naming it.
    private async Task BuildAsync()
    {
        await bed.MkcolAsync("src");
        await bed.MkcolAsync("src/sub");
        await bed.PutAsync("src/a.txt", "a");
        await bed.PutAsync("src/sub/b.txt", "b");
        await bed.PutAsync("dst.txt", "dst");
        foreach (var path in new[] { "src", "src/sub", "src/a.txt", "src/sub/b.txt", "dst.txt" })
        {
            var item = Assert.IsAssignableFrom<IDeadProperties>(await bed.GetAsync(path));
            await item.UpdatePropertiesAsync([new PropertyUpdate(Color, new DeadProperty(new XElement(Color, path)))], default);
        }
    }

    private async Task AssertAsBuiltAsync()
    {
        Assert.Equal("a", File.ReadAllText(bed.OnDisk("src/a.txt")));
        Assert.Equal("b", File.ReadAllText(bed.OnDisk("src/sub/b.txt")));
        Assert.Equal("dst", File.ReadAllText(bed.OnDisk("dst.txt")));
        foreach (var path in new[] { "src", "src/sub", "src/a.txt", "src/sub/b.txt", "dst.txt" })
        {
            Assert.Equal(path, await ColorAsync(path));
        }

        Assert.Empty(Directory.GetFiles(JournalFolder));
        Assert.Empty(bed.StagedFiles());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.Combine(bed.Root, ".davit", "trash"), "*", SearchOption.AllDirectories), e => !Directory.Exists(e));
    }

    private async Task<string?> ColorAsync(string path)
    {
        var item = Assert.IsAssignableFrom<IDeadProperties>(await bed.GetAsync(path));
        return (await item.GetPropertiesAsync([Color], default)).SingleOrDefault()?.Element.Value;
    }

    // Runs work in a write unit of work of the bed's store that ends as a kill would: after its file changes, before
    // its commit.
    private async Task KilledAsync(Func<StoreContext, Task> work)
    {
        var context = DavTestContext.Create();
        var unit = (FsUnitOfWork)await bed.Store.BeginAsync(context, UnitOfWorkMode.Write, default);
        context.UnitOfWork = unit;
        await work(context);
        await unit.EndAsIfKilledAsync();
    }

    private Task<IFolder> FolderAsync(string path, StoreContext context) => FolderAsync(bed.Store, path, context);

    private static async Task<IFolder> FolderAsync(IDavStore store, string path, StoreContext context) =>
        Assert.IsAssignableFrom<IFolder>(await store.GetHierarchyItemAsync(DavPath.Parse("/" + path), context, default));
}
