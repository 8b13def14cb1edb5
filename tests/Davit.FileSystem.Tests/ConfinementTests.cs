using Davit.Storage;

namespace Davit.FileSystem.Tests;

public sealed class ConfinementTests : IDisposable
{
    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task Root_Resolves_To_A_Folder()
    {
        Assert.IsAssignableFrom<IFolder>(await bed.GetAsync(""));
    }

    [Fact]
    public async Task File_Symlink_To_Outside_Is_Not_Found_And_Not_Listed()
    {
        File.CreateSymbolicLink(bed.OnDisk("leak.txt"), Path.Combine(bed.Outside, "secret.txt"));
        await bed.PutAsync("visible.txt", "v");

        Assert.Null(await bed.GetAsync("leak.txt"));
        Assert.Equal(["visible.txt"], await bed.ListAsync(""));
    }

    [Fact]
    public async Task Directory_Symlink_To_Outside_Is_Not_Found_Nor_Anything_Through_It()
    {
        Directory.CreateSymbolicLink(bed.OnDisk("out"), bed.Outside);

        Assert.Null(await bed.GetAsync("out"));
        Assert.Null(await bed.GetAsync("out/secret.txt"));
        Assert.Empty(await bed.ListAsync(""));
    }

    [Fact]
    public async Task Nested_Symlinks_To_Outside_Are_Not_Followed()
    {
        await bed.MkcolAsync("a");
        await bed.MkcolAsync("a/b");
        File.CreateSymbolicLink(bed.OnDisk("a/b/leak.txt"), Path.Combine(bed.Outside, "secret.txt"));
        Directory.CreateSymbolicLink(bed.OnDisk("a/b/out"), bed.Outside);
        // Relative, and climbing out with "..".
        File.CreateSymbolicLink(bed.OnDisk("a/b/relative.txt"), "../../../outside/secret.txt");

        Assert.Null(await bed.GetAsync("a/b/leak.txt"));
        Assert.Null(await bed.GetAsync("a/b/out/secret.txt"));
        Assert.Null(await bed.GetAsync("a/b/relative.txt"));
        Assert.Empty(await bed.ListAsync("a/b"));
    }

    [Fact]
    public async Task A_Chain_Of_Links_Ending_Outside_Is_Not_Followed()
    {
        Directory.CreateSymbolicLink(bed.OnDisk("hop"), bed.Outside);
        // Points inside the root by name, but through "hop" it ends outside.
        File.CreateSymbolicLink(bed.OnDisk("inner.txt"), bed.OnDisk("hop/secret.txt"));

        Assert.Null(await bed.GetAsync("inner.txt"));
        Assert.Empty(await bed.ListAsync(""));
    }

    [Fact]
    public async Task Symlinks_Inside_The_Root_Are_Followed()
    {
        await bed.MkcolAsync("docs");
        await bed.PutAsync("docs/a.txt", "inside");
        File.CreateSymbolicLink(bed.OnDisk("alias.txt"), bed.OnDisk("docs/a.txt"));
        Directory.CreateSymbolicLink(bed.OnDisk("shortcut"), "docs");

        Assert.Equal("inside", await StoreTestBed.ReadTextAsync(await bed.GetFileAsync("alias.txt")));
        Assert.Equal("inside", await StoreTestBed.ReadTextAsync(await bed.GetFileAsync("shortcut/a.txt")));
        Assert.Equal(["alias.txt", "docs", "shortcut"], await bed.ListAsync(""));
        Assert.Equal(6, (await bed.GetFileAsync("alias.txt")).ContentLength);
    }

    [Fact]
    public async Task Looping_Symlinks_Are_Not_Found()
    {
        File.CreateSymbolicLink(bed.OnDisk("x"), bed.OnDisk("y"));
        File.CreateSymbolicLink(bed.OnDisk("y"), bed.OnDisk("x"));

        Assert.Null(await bed.GetAsync("x"));
        Assert.Empty(await bed.ListAsync(""));
    }

    [Fact]
    public async Task Metadata_Folder_Is_Hidden_From_Lookup_And_Listing()
    {
        Assert.True(Directory.Exists(bed.OnDisk(".davit")));
        await bed.PutAsync("a.txt", "a");

        Assert.Null(await bed.GetAsync(".davit"));
        Assert.Null(await bed.GetAsync(".davit/davit.db"));
        Assert.Null(await bed.GetAsync(".DAVIT"));
        Assert.Equal(["a.txt"], await bed.ListAsync(""));
    }

    [Fact]
    public async Task Creating_The_Metadata_Folder_Name_Throws_403()
    {
        var root = await bed.GetFolderAsync("");

        var folder = await Assert.ThrowsAsync<StoreException>(async () => await root.CreateFolderAsync(".davit", default));
        var file = await Assert.ThrowsAsync<StoreException>(async () =>
            await root.CreateFileAsync(".davit", FileContent.FromStream(new MemoryStream([1]), 1, null), default));

        Assert.Equal(StoreError.Forbidden, folder.Error);
        Assert.Equal(StoreError.Forbidden, file.Error);
        Assert.True(File.Exists(Path.Combine(bed.Root, ".davit", "davit.db")));
    }

    [Fact]
    public async Task Nothing_Can_Be_Copied_Or_Moved_Onto_The_Metadata_Folder()
    {
        var file = await bed.PutAsync("a.txt", "a");
        var root = await bed.GetFolderAsync("");

        var copy = await Assert.ThrowsAsync<StoreException>(async () => await StoreTrees.CopyAsync(file, root, ".davit", true, null, new(), default));
        var move = await Assert.ThrowsAsync<StoreException>(async () => await StoreTrees.MoveAsync(file, root, ".davit", null, new(), default));

        Assert.Equal(StoreError.Forbidden, copy.Error);
        Assert.Equal(StoreError.Forbidden, move.Error);
        Assert.True(File.Exists(bed.OnDisk("a.txt")));
    }

    [Fact]
    public async Task Creating_Over_A_Link_To_Outside_Throws_403_And_Leaves_The_Target()
    {
        File.CreateSymbolicLink(bed.OnDisk("leak.txt"), Path.Combine(bed.Outside, "secret.txt"));
        var root = await bed.GetFolderAsync("");

        var error = await Assert.ThrowsAsync<StoreException>(async () =>
            await root.CreateFileAsync("leak.txt", FileContent.FromStream(new MemoryStream("pwned"u8.ToArray()), 5, null), default));

        Assert.Equal(StoreError.Forbidden, error.Error);
        Assert.Equal("top secret", File.ReadAllText(Path.Combine(bed.Outside, "secret.txt")));
    }

    [Fact]
    public async Task Deleting_A_Folder_Removes_Links_Without_Touching_Their_Targets()
    {
        await bed.MkcolAsync("keep");
        await bed.PutAsync("keep/k.txt", "k");
        await bed.MkcolAsync("d");
        Directory.CreateSymbolicLink(bed.OnDisk("d/out"), bed.Outside);
        Directory.CreateSymbolicLink(bed.OnDisk("d/in"), bed.OnDisk("keep"));
        var errors = new TreeErrors();

        await StoreTrees.DeleteAsync((await bed.GetFolderAsync("d")), errors, default);

        Assert.False(errors.HasErrors);
        Assert.False(Directory.Exists(bed.OnDisk("d")));
        Assert.True(File.Exists(Path.Combine(bed.Outside, "secret.txt")));
        Assert.True(File.Exists(bed.OnDisk("keep/k.txt")));
    }

    [Fact]
    public async Task Deleting_The_Root_Throws_403()
    {
        var root = await bed.GetFolderAsync("");

        var error = await Assert.ThrowsAsync<StoreException>(async () => await root.DeleteAsync(default));

        Assert.Equal(StoreError.Forbidden, error.Error);
    }

    [Fact]
    public async Task A_Root_Configured_Through_A_Symlink_Serves_Its_Target()
    {
        var real = Path.Combine(bed.Base, "real");
        var link = Path.Combine(bed.Base, "link");
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "a.txt"), "a");
        Directory.CreateSymbolicLink(link, real);
        using var store = new FileSystemStore(new FileSystemStoreOptions { Root = link });

        var root = Assert.IsAssignableFrom<IFolder>(await store.GetHierarchyItemAsync(DavPath.Root, bed.Context, default));
        var names = new List<string>();
        await foreach (var child in root.GetChildrenAsync(PropertySelection.None, default))
        {
            names.Add(child.Name);
        }

        Assert.Equal(["a.txt"], names);
        Assert.True(Directory.Exists(Path.Combine(real, ".davit")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("")]
    public void Names_That_Could_Escape_Are_Refused_By_The_Resolver(string name)
    {
        // DavPath refuses them first; the store checks again on its own.
        Assert.False(PathResolver.IsValidName(name));
    }

    [Fact]
    public void Layout_Confines_By_Full_Path_And_Separator()
    {
        var layout = bed.Store.Layout;

        Assert.True(layout.IsInsideRoot(layout.RootPath));
        Assert.True(layout.IsInsideRoot(Path.Join(layout.RootPath, "a")));
        Assert.False(layout.IsInsideRoot(layout.RootPath + "-sibling"));
        Assert.False(layout.IsInsideRoot(Path.GetFullPath(Path.Join(layout.RootPath, "..", "outside"))));
        Assert.True(layout.IsHidden(Path.Join(layout.RootPath, ".davit", "staging")));
        Assert.False(layout.IsHidden(Path.Join(layout.RootPath, ".davit2")));
    }
}
