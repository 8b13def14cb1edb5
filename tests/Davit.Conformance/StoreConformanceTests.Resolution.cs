using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Root_Resolves_To_A_Folder_With_Empty_Name_And_Root_Path()
    {
        var root = await Store.GetHierarchyItemAsync(DavPath.Root, DavTestContext.Create(), CancellationToken.None);

        var folder = Assert.IsAssignableFrom<IFolder>(root);
        Assert.IsNotAssignableFrom<IFile>(root);
        Assert.Equal(string.Empty, folder.Name);
        Assert.Equal(DavPath.Root, folder.Path);
        Assert.True(folder.Path.IsRoot);
    }

    [Fact]
    public async Task Empty_Store_Root_Has_No_Members()
    {
        var root = await Store.GetFolderAsync("");

        Assert.Empty(await root.ListAsync());
    }

    [Fact]
    public async Task Missing_Path_Resolves_To_Null()
    {
        Assert.Null(await Store.GetAsync("missing.txt"));
        Assert.Null(await Store.GetAsync("missing"));
        Assert.Null(await Store.GetAsync("missing/child.txt"));
    }

    [Fact]
    public async Task Path_Below_A_File_Resolves_To_Null()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));

        Assert.Null(await Store.GetAsync("a.txt/child"));
        Assert.Null(await Store.GetAsync("a.txt/child/grandchild"));
    }

    [Fact]
    public async Task Resolved_Items_Have_The_Requested_Name_And_Path()
    {
        await Store.CreateFolderAsync("a");
        await Store.CreateFolderAsync("a/b");
        await Store.CreateFileAsync("a/b/c.txt", TestBytes.Utf8("c"));

        var folder = await Store.GetFolderAsync("a/b");
        var file = await Store.GetFileAsync("a/b/c.txt");

        Assert.Equal("b", folder.Name);
        Assert.Equal(DavPath.Parse("a/b"), folder.Path);
        Assert.Equal("c.txt", file.Name);
        Assert.Equal(DavPath.Parse("a/b/c.txt"), file.Path);
    }

    [Fact]
    public async Task Files_Resolve_As_Files_And_Folders_As_Folders()
    {
        await Store.CreateFolderAsync("folder");
        await Store.CreateFileAsync("file", TestBytes.Utf8("x"));

        var folder = await Store.GetAsync("folder");
        var file = await Store.GetAsync("file");

        Assert.IsAssignableFrom<IFolder>(folder);
        Assert.IsNotAssignableFrom<IFile>(folder);
        Assert.IsAssignableFrom<IFile>(file);
        Assert.IsNotAssignableFrom<IFolder>(file);
    }
}
