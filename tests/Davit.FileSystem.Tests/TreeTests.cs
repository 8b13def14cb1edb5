using Davit.Storage;

namespace Davit.FileSystem.Tests;

public sealed class TreeTests : IDisposable
{
    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task Deep_Copy_Reproduces_The_Tree_On_Disk()
    {
        await bed.MkcolAsync("src");
        await bed.MkcolAsync("src/sub");
        await bed.PutAsync("src/a.txt", "a");
        await bed.PutAsync("src/sub/b.txt", "b");
        var errors = new TreeErrors();

        await StoreTrees.CopyAsync((await bed.GetFolderAsync("src")), await bed.GetFolderAsync(""), "dst", true, null, errors, default);

        Assert.False(errors.HasErrors);
        Assert.Equal("a", File.ReadAllText(bed.OnDisk("dst/a.txt")));
        Assert.Equal("b", File.ReadAllText(bed.OnDisk("dst/sub/b.txt")));
        Assert.Equal("a", File.ReadAllText(bed.OnDisk("src/a.txt")));
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task Copy_Of_A_File_Gets_Its_Own_Modification_Time()
    {
        var clock = new StoppedClock(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var timed = new StoreTestBed(timeProvider: clock);
        var source = await timed.PutAsync("a.txt", "a");
        clock.Now = clock.Now.AddMinutes(1);

        await StoreTrees.CopyAsync(source, await timed.GetFolderAsync(""), "b.txt", false, null, new(), default);

        Assert.Equal(clock.Now, (await timed.GetFileAsync("b.txt")).ModifiedUtc);
        Assert.Equal(clock.Now.AddMinutes(-1), (await timed.GetFileAsync("a.txt")).ModifiedUtc);
    }

    [Fact]
    public async Task Copy_Through_A_Link_Loop_Records_508_And_Copies_The_Rest()
    {
        await bed.MkcolAsync("src");
        await bed.PutAsync("src/a.txt", "a");
        Directory.CreateSymbolicLink(bed.OnDisk("src/loop"), bed.OnDisk("src"));
        var errors = new TreeErrors();

        await StoreTrees.CopyAsync((await bed.GetFolderAsync("src")), await bed.GetFolderAsync(""), "dst", true, null, errors, default);

        var error = Assert.Single(errors.Errors);
        Assert.Equal((DavPath.Parse("dst/loop"), StoreError.LoopDetected), (error.Path, error.Error));
        Assert.Equal("a", File.ReadAllText(bed.OnDisk("dst/a.txt")));
    }

    [Fact]
    public async Task Move_Renames_On_Disk_And_Keeps_The_Bytes()
    {
        await bed.MkcolAsync("src");
        await bed.PutAsync("src/a.txt", "a");
        await bed.MkcolAsync("dst");

        await StoreTrees.MoveAsync((await bed.GetFolderAsync("src")), await bed.GetFolderAsync("dst"), "moved", null, new(), default);
        await StoreTrees.MoveAsync((await bed.GetFileAsync("dst/moved/a.txt")), await bed.GetFolderAsync(""), "top.txt", null, new(), default);

        Assert.False(Directory.Exists(bed.OnDisk("src")));
        Assert.True(Directory.Exists(bed.OnDisk("dst/moved")));
        Assert.Equal("a", File.ReadAllText(bed.OnDisk("top.txt")));
    }

    [Fact]
    public async Task Move_Of_A_Link_Moves_The_Link_Not_Its_Target()
    {
        await bed.MkcolAsync("docs");
        await bed.PutAsync("docs/a.txt", "a");
        Directory.CreateSymbolicLink(bed.OnDisk("shortcut"), bed.OnDisk("docs"));

        await StoreTrees.MoveAsync((await bed.GetFolderAsync("shortcut")), await bed.GetFolderAsync(""), "renamed", null, new(), default);

        Assert.True(Directory.Exists(bed.OnDisk("docs")));
        Assert.NotNull(new DirectoryInfo(bed.OnDisk("renamed")).LinkTarget);
        Assert.Equal(["docs", "renamed"], await bed.ListAsync(""));
    }

    [Fact]
    public async Task Delete_Of_A_Tree_Removes_It_From_Disk()
    {
        await bed.MkcolAsync("d");
        await bed.MkcolAsync("d/e");
        await bed.PutAsync("d/e/x.txt", "x");
        await bed.PutAsync("d/y.txt", "y");
        var errors = new TreeErrors();

        await StoreTrees.DeleteAsync((await bed.GetFolderAsync("d")), errors, default);

        Assert.False(errors.HasErrors);
        Assert.False(Directory.Exists(bed.OnDisk("d")));
        Assert.Null(await bed.GetAsync("d"));
    }

    [Fact]
    public async Task Delete_Records_A_Member_That_Stays_And_Removes_The_Rest()
    {
        // A metadata folder configured inside the tree can never be deleted through the store.
        using var nested = new StoreTestBed(metadataPath: Path.Combine("root", "d", "keep", ".meta"));
        await nested.PutAsync("d/a.txt", "a");
        await nested.MkcolAsync("d/other");
        await nested.PutAsync("d/other/b.txt", "b");
        var errors = new TreeErrors();

        await StoreTrees.DeleteAsync((await nested.GetFolderAsync("d")), errors, default);

        var error = Assert.Single(errors.Errors);
        Assert.Equal((DavPath.Parse("d/keep"), StoreError.Forbidden), (error.Path, error.Error));
        Assert.Equal(["keep"], await nested.ListAsync("d"));
        Assert.Empty(await nested.ListAsync("d/keep"));
        Assert.True(File.Exists(nested.OnDisk("d/keep/.meta/davit.db")));
    }

    [Fact]
    public async Task Listing_Streams_Files_And_Folders_Including_Dot_Files()
    {
        await bed.MkcolAsync("f");
        await bed.PutAsync(".hidden", "h");
        await bed.PutAsync("f/inner.txt", "i");

        Assert.Equal([".hidden", "f"], await bed.ListAsync(""));
        Assert.IsAssignableFrom<IFolder>(await bed.GetAsync("f"));
        Assert.IsAssignableFrom<IFile>(await bed.GetAsync(".hidden"));
    }
}
