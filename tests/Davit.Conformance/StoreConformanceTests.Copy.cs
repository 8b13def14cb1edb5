using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task CopyFile_Copies_Bytes_And_DeadProperties_And_Leaves_The_Source_Intact()
    {
        var body = TestBytes.Random(150_000, seed: 1);
        var source = await Store.CreateFileAsync("source.bin", body);
        var property = new XElement(Test + "p", new XAttribute(XNamespace.Xml + "lang", "en"), "copied");
        await source.SetPropertiesAsync(property);
        var target = await Store.CreateFolderAsync("target");
        var errors = new TreeErrors();

        await StoreTrees.CopyAsync(source, target, "copy.bin", true, null, errors, CancellationToken.None);

        Assert.False(errors.HasErrors);
        await AssertContentAsync("target/copy.bin", body);
        await AssertContentAsync("source.bin", body);
        DeadPropertyAssert.Same(property, await (await Store.GetFileAsync("target/copy.bin")).GetPropertyAsync(property.Name));
        DeadPropertyAssert.Same(property, await (await Store.GetFileAsync("source.bin")).GetPropertyAsync(property.Name));
    }

    [Fact]
    public async Task CopyFile_Within_The_Same_Folder_Under_A_New_Name()
    {
        var source = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("same folder"));

        await StoreTrees.CopyAsync(source, await Store.GetFolderAsync(""), "b.txt", true, null, new TreeErrors(), CancellationToken.None);

        await AssertContentAsync("a.txt", TestBytes.Utf8("same folder"));
        await AssertContentAsync("b.txt", TestBytes.Utf8("same folder"));
        Assert.Equal(["a.txt", "b.txt"], await (await Store.GetFolderAsync("")).ListNamesAsync());
    }

    [Fact]
    public async Task CopyFile_With_Deep_False_Still_Copies_The_Content()
    {
        var source = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("depth is ignored for files"));

        await StoreTrees.CopyAsync(source, await Store.GetFolderAsync(""), "b.txt", false, null, new TreeErrors(), CancellationToken.None);

        await AssertContentAsync("b.txt", TestBytes.Utf8("depth is ignored for files"));
    }

    [Fact]
    public async Task Copy_Is_Independent_Of_Its_Source()
    {
        var source = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("original"));
        await source.SetPropertiesAsync(new XElement(Test + "p", "original"));
        await StoreTrees.CopyAsync(source, await Store.GetFolderAsync(""), "b.txt", true, null, new TreeErrors(), CancellationToken.None);
        var copy = await Store.GetFileAsync("b.txt");

        await copy.WriteBytesAsync(TestBytes.Utf8("changed copy"));
        await copy.SetPropertiesAsync(new XElement(Test + "p", "changed copy"), new XElement(Test + "extra", "x"));
        await (await Store.GetFileAsync("a.txt")).WriteBytesAsync(TestBytes.Utf8("changed source"));

        await AssertContentAsync("a.txt", TestBytes.Utf8("changed source"));
        await AssertContentAsync("b.txt", TestBytes.Utf8("changed copy"));
        var sourceProperties = await (await Store.GetFileAsync("a.txt")).GetAllPropertiesAsync();
        Assert.Equal("original", Assert.Single(sourceProperties).Element.Value);
    }

    [Fact]
    public async Task CopyFolder_Deep_Copies_All_Members_And_Their_DeadProperties()
    {
        await BuildTreeAsync("src");
        var errors = new TreeErrors();

        await StoreTrees.CopyAsync((await Store.GetFolderAsync("src")), await Store.GetFolderAsync(""), "dst", true, null, errors, CancellationToken.None);

        Assert.False(errors.HasErrors);
        await AssertTreeAsync("src");
        await AssertTreeAsync("dst");
    }

    [Fact]
    public async Task CopyFolder_Shallow_Creates_An_Empty_Folder_With_The_Folders_Own_DeadProperties()
    {
        await BuildTreeAsync("src");

        await StoreTrees.CopyAsync((await Store.GetFolderAsync("src")), await Store.GetFolderAsync(""), "dst", false, null, new TreeErrors(), CancellationToken.None);

        var copy = await Store.GetFolderAsync("dst");
        Assert.Empty(await copy.ListAsync());
        Assert.Equal("src folder", Assert.Single(await copy.GetAllPropertiesAsync()).Element.Value);
        await AssertTreeAsync("src");
    }

    [Fact]
    public async Task CopyFolder_Into_Another_Folder_Keeps_The_Tree_Below_Its_New_Path()
    {
        await BuildTreeAsync("src");
        await Store.CreateFolderAsync("other");
        await Store.CreateFolderAsync("other/deeper");

        await StoreTrees.CopyAsync((await Store.GetFolderAsync("src")), await Store.GetFolderAsync("other/deeper"), "dst", true, null, new TreeErrors(), CancellationToken.None);

        await AssertTreeAsync("other/deeper/dst");
        var listed = Assert.Single(await (await Store.GetFolderAsync("other/deeper")).ListAsync());
        Assert.Equal(DavPath.Parse("other/deeper/dst"), listed.Path);
    }

    /// <summary>Builds <c>root/{a.txt, sub/{b.bin, empty/}}</c> with a dead property on every item.</summary>
    private async Task BuildTreeAsync(string root)
    {
        var top = await Store.CreateFolderAsync(root);
        await top.SetPropertiesAsync(new XElement(Test + "p", "src folder"));
        await (await Store.CreateFileAsync(root + "/a.txt", TestBytes.Utf8("file a"))).SetPropertiesAsync(new XElement(Test + "p", "a"));
        await (await Store.CreateFolderAsync(root + "/sub")).SetPropertiesAsync(new XElement(Test + "p", "sub"));
        await (await Store.CreateFileAsync(root + "/sub/b.bin", TestBytes.Random(100_000, seed: 9))).SetPropertiesAsync(new XElement(Test + "p", "b"));
        await (await Store.CreateFolderAsync(root + "/sub/empty")).SetPropertiesAsync(new XElement(Test + "p", "empty"));
    }

    /// <summary>Asserts that the tree <see cref="BuildTreeAsync"/> makes is at <paramref name="root"/>, whole.</summary>
    private async Task AssertTreeAsync(string root)
    {
        Assert.Equal(["a.txt", "sub"], await (await Store.GetFolderAsync(root)).ListNamesAsync());
        Assert.Equal(["b.bin", "empty"], await (await Store.GetFolderAsync(root + "/sub")).ListNamesAsync());
        Assert.Empty(await (await Store.GetFolderAsync(root + "/sub/empty")).ListAsync());
        await AssertContentAsync(root + "/a.txt", TestBytes.Utf8("file a"));
        await AssertContentAsync(root + "/sub/b.bin", TestBytes.Random(100_000, seed: 9));
        foreach (var (path, value) in new[] { (root, "src folder"), (root + "/a.txt", "a"), (root + "/sub", "sub"), (root + "/sub/b.bin", "b"), (root + "/sub/empty", "empty") })
        {
            var item = await Store.GetAsync(path);
            Assert.NotNull(item);
            Assert.Equal(value, Assert.Single(await item.GetAllPropertiesAsync()).Element.Value);
        }
    }
}
