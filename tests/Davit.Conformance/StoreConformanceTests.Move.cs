using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task MoveFile_Moves_Bytes_And_DeadProperties_And_Removes_The_Source()
    {
        var body = TestBytes.Random(150_000, seed: 1);
        var source = await Store.CreateFileAsync("source.bin", body);
        var property = new XElement(Test + "p", "moved");
        await source.SetPropertiesAsync(property);
        var target = await Store.CreateFolderAsync("target");
        var errors = new TreeErrors();

        await StoreTrees.MoveAsync(source, target, "moved.bin", null, errors, CancellationToken.None);

        Assert.False(errors.HasErrors);
        Assert.Null(await Store.GetAsync("source.bin"));
        await AssertContentAsync("target/moved.bin", body);
        DeadPropertyAssert.Same(property, await (await Store.GetFileAsync("target/moved.bin")).GetPropertyAsync(property.Name));
        Assert.Equal(["target"], await (await Store.GetFolderAsync("")).ListNamesAsync());
    }

    [Fact]
    public async Task MoveFile_Renames_Within_The_Same_Folder()
    {
        var source = await Store.CreateFileAsync("old name.txt", TestBytes.Utf8("renamed"));

        await StoreTrees.MoveAsync(source, await Store.GetFolderAsync(""), "new name.txt", null, new TreeErrors(), CancellationToken.None);

        Assert.Equal(["new name.txt"], await (await Store.GetFolderAsync("")).ListNamesAsync());
        await AssertContentAsync("new name.txt", TestBytes.Utf8("renamed"));
    }

    [Fact]
    public async Task MoveFolder_Moves_Its_Subtree_And_DeadProperties_And_Removes_The_Source()
    {
        await BuildTreeAsync("src");
        await Store.CreateFolderAsync("other");
        var errors = new TreeErrors();

        await StoreTrees.MoveAsync((await Store.GetFolderAsync("src")), await Store.GetFolderAsync("other"), "dst", null, errors, CancellationToken.None);

        Assert.False(errors.HasErrors);
        Assert.Null(await Store.GetAsync("src"));
        Assert.Null(await Store.GetAsync("src/a.txt"));
        Assert.Null(await Store.GetAsync("src/sub/b.bin"));
        await AssertTreeAsync("other/dst");
        Assert.Equal(["other"], await (await Store.GetFolderAsync("")).ListNamesAsync());
        var child = Assert.Single(await (await Store.GetFolderAsync("other/dst/sub")).ListAsync(), i => i.Name == "b.bin");
        Assert.Equal(DavPath.Parse("other/dst/sub/b.bin"), child.Path);
    }

    [Fact]
    public async Task Moved_Away_Path_Is_Free_And_Carries_No_Old_DeadProperties()
    {
        var source = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await source.SetPropertiesAsync(new XElement(Test + "p", "follows the move"));
        await BuildTreeAsync("tree");
        await StoreTrees.MoveAsync(source, await Store.GetFolderAsync(""), "b.txt", null, new TreeErrors(), CancellationToken.None);
        await StoreTrees.MoveAsync((await Store.GetFolderAsync("tree")), await Store.GetFolderAsync(""), "moved-tree", null, new TreeErrors(), CancellationToken.None);

        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("new a"));
        await Store.CreateFolderAsync("tree");
        await Store.CreateFolderAsync("tree/sub");

        Assert.Empty(await (await Store.GetFileAsync("a.txt")).GetAllPropertiesAsync());
        Assert.Empty(await (await Store.GetFolderAsync("tree")).GetAllPropertiesAsync());
        Assert.Empty(await (await Store.GetFolderAsync("tree/sub")).GetAllPropertiesAsync());
        Assert.Empty(await (await Store.GetFolderAsync("tree/sub")).ListAsync());
        Assert.Equal("follows the move", Assert.Single(await (await Store.GetFileAsync("b.txt")).GetAllPropertiesAsync()).Element.Value);
        await AssertTreeAsync("moved-tree");
    }
}
