using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task DeleteFile_Removes_It_And_Its_DeadProperties()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await Store.CreateFileAsync("b.txt", TestBytes.Utf8("b"));
        await file.SetPropertiesAsync(new XElement(Test + "p", "gone with the file"));
        var errors = new TreeErrors();

        await StoreTrees.DeleteAsync((await Store.GetFileAsync("a.txt")), errors, CancellationToken.None);

        Assert.False(errors.HasErrors);
        Assert.Null(await Store.GetAsync("a.txt"));
        Assert.Equal(["b.txt"], await (await Store.GetFolderAsync("")).ListNamesAsync());
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("again"));
        Assert.Empty(await (await Store.GetFileAsync("a.txt")).GetAllPropertiesAsync());
        await AssertContentAsync("a.txt", TestBytes.Utf8("again"));
    }

    [Fact]
    public async Task DeleteFolder_Removes_The_Whole_Tree_And_All_DeadProperties()
    {
        await BuildTreeAsync("tree");
        var errors = new TreeErrors();

        await StoreTrees.DeleteAsync((await Store.GetFolderAsync("tree")), errors, CancellationToken.None);

        Assert.False(errors.HasErrors);
        foreach (var path in new[] { "tree", "tree/a.txt", "tree/sub", "tree/sub/b.bin", "tree/sub/empty" })
        {
            Assert.Null(await Store.GetAsync(path));
        }

        Assert.Empty(await (await Store.GetFolderAsync("")).ListAsync());
        await Store.CreateFolderAsync("tree");
        await Store.CreateFolderAsync("tree/sub");
        await Store.CreateFileAsync("tree/sub/b.bin", TestBytes.Utf8("new"));
        foreach (var path in new[] { "tree", "tree/sub", "tree/sub/b.bin" })
        {
            Assert.Empty(await (await Store.GetAsync(path))!.GetAllPropertiesAsync());
        }

        Assert.Equal(["b.bin"], await (await Store.GetFolderAsync("tree/sub")).ListNamesAsync());
    }

    [Fact]
    public async Task Delete_Root_Throws_403_And_Keeps_Everything()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var root = await Store.GetFolderAsync("");

        await AssertErrorAsync(StoreError.Forbidden, async () => await StoreTrees.DeleteAsync(root, new TreeErrors(), CancellationToken.None));

        Assert.Equal(["a.txt"], await (await Store.GetFolderAsync("")).ListNamesAsync());
        await AssertContentAsync("a.txt", TestBytes.Utf8("a"));
    }

    [Fact]
    public async Task Deleting_One_Folder_Leaves_Its_Siblings()
    {
        await BuildTreeAsync("keep");
        await BuildTreeAsync("drop");

        await StoreTrees.DeleteAsync((await Store.GetFolderAsync("drop")), new TreeErrors(), CancellationToken.None);

        Assert.Equal(["keep"], await (await Store.GetFolderAsync("")).ListNamesAsync());
        await AssertTreeAsync("keep");
    }
}
