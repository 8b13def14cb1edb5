using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task CreateFolder_Then_Resolve_Returns_An_Empty_Folder()
    {
        var created = await Store.CreateFolderAsync("docs");

        Assert.Equal("docs", created.Name);
        Assert.Equal(DavPath.Parse("docs"), created.Path);
        var folder = await Store.GetFolderAsync("docs");
        Assert.Equal("docs", folder.Name);
        Assert.Empty(await folder.ListAsync());
    }

    [Fact]
    public async Task Nested_Folders_And_Files_Resolve_At_Their_Full_Path()
    {
        var a = await Store.CreateFolderAsync("a");
        var b = await a.CreateFolderAsync("b", CancellationToken.None);
        var c = await b.CreateFolderAsync("c", CancellationToken.None);
        var file = await c.CreateFileAsync("deep.txt", FileContent.FromStream(new MemoryStream(TestBytes.Utf8("deep")), 4, null), CancellationToken.None);

        Assert.Equal(DavPath.Parse("a/b/c"), c.Path);
        Assert.Equal(DavPath.Parse("a/b/c/deep.txt"), file.Path);
        await AssertContentAsync("a/b/c/deep.txt", TestBytes.Utf8("deep"));
        Assert.Equal(["c"], await (await Store.GetFolderAsync("a/b")).ListNamesAsync());
    }

    [Fact]
    public async Task CreateFolder_At_An_Existing_Folder_Name_Throws_405()
    {
        await Store.CreateFolderAsync("x");
        var root = await Store.GetFolderAsync("");

        await AssertErrorAsync(StoreError.AlreadyExists, async () => await root.CreateFolderAsync("x", CancellationToken.None));

        Assert.Single(await root.ListAsync());
    }

    [Fact]
    public async Task CreateFolder_At_An_Existing_File_Name_Throws_405()
    {
        await Store.CreateFileAsync("x", TestBytes.Utf8("file"));
        var root = await Store.GetFolderAsync("");

        await AssertErrorAsync(StoreError.AlreadyExists, async () => await root.CreateFolderAsync("x", CancellationToken.None));

        await AssertContentAsync("x", TestBytes.Utf8("file"));
    }

    [Fact]
    public async Task CreateFile_At_An_Existing_File_Name_Throws_405_And_Keeps_The_Content()
    {
        await Store.CreateFileAsync("x", TestBytes.Utf8("first"));
        var root = await Store.GetFolderAsync("");

        await AssertErrorAsync(StoreError.AlreadyExists, async () =>
            await root.CreateFileAsync("x", FileContent.FromStream(new MemoryStream(TestBytes.Utf8("second")), 6, null), CancellationToken.None));

        await AssertContentAsync("x", TestBytes.Utf8("first"));
    }

    [Fact]
    public async Task CreateFile_At_An_Existing_Folder_Name_Throws_405()
    {
        await Store.CreateFolderAsync("x");
        var root = await Store.GetFolderAsync("");

        await AssertErrorAsync(StoreError.AlreadyExists, async () =>
            await root.CreateFileAsync("x", FileContent.FromStream(new MemoryStream(TestBytes.Utf8("file")), 4, null), CancellationToken.None));

        await Store.GetFolderAsync("x");
    }

    [Fact]
    public async Task GetChildren_Lists_Exactly_The_Direct_Members()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await Store.CreateFolderAsync("b");
        await Store.CreateFileAsync("b/c.txt", TestBytes.Utf8("c"));
        await Store.CreateFolderAsync("b/d");
        await Store.CreateFolderAsync("e");

        var top = (await (await Store.GetFolderAsync("")).ListAsync()).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var inB = (await (await Store.GetFolderAsync("b")).ListAsync()).ToDictionary(i => i.Name, StringComparer.Ordinal);

        Assert.Equal(["a.txt", "b", "e"], top.Keys.Order(StringComparer.Ordinal));
        Assert.IsAssignableFrom<IFile>(top["a.txt"]);
        Assert.IsAssignableFrom<IFolder>(top["b"]);
        Assert.IsAssignableFrom<IFolder>(top["e"]);
        Assert.Equal(DavPath.Parse("a.txt"), top["a.txt"].Path);
        Assert.Equal(["c.txt", "d"], inB.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(DavPath.Parse("b/c.txt"), inB["c.txt"].Path);
        Assert.Equal(DavPath.Parse("b/d"), inB["d"].Path);
        Assert.IsAssignableFrom<IFolder>(inB["d"]);
    }

    [Fact]
    public async Task GetChildren_Of_An_Empty_Folder_Is_Empty()
    {
        var folder = await Store.CreateFolderAsync("empty");

        Assert.Empty(await folder.ListAsync());
        Assert.Empty(await (await Store.GetFolderAsync("empty")).ListAsync());
    }
}
