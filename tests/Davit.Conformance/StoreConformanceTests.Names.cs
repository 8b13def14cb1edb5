using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>Names a client may send that need escaping in a URL or are easy to mangle.</summary>
    public static TheoryData<string> AwkwardNames => new()
    {
        "with space.txt",
        "hash#tag.txt",
        "100%.txt",
        "%20literal.txt",
        "a+b=c.txt",
        "semi;colon&amp.txt",
        "quote'[brackets]{braces}~@,$!.txt",
        ".hidden",
        "Ünïcödé façade.txt",
        "日本語のファイル.txt",
        "emoji 😀 𝄞.txt",
    };

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task File_With_Awkward_Name_Is_Listed_And_Resolved_Exactly(string name)
    {
        var body = TestBytes.Utf8(name);

        await Store.CreateFileAsync(name, body);

        var file = await Store.GetFileAsync(name);
        Assert.Equal(name, file.Name);
        Assert.Equal(DavPath.Root.Append(name), file.Path);
        BytesAssert.Equal(body, await file.ReadAllBytesAsync());
        Assert.Equal([name], await (await Store.GetFolderAsync("")).ListNamesAsync());
    }

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task Folder_With_Awkward_Name_Is_Listed_And_Resolved_Exactly(string name)
    {
        await Store.CreateFolderAsync(name);
        await Store.CreateFileAsync(name + "/inner.txt", TestBytes.Utf8("inner"));

        var folder = await Store.GetFolderAsync(name);
        Assert.Equal(name, folder.Name);
        Assert.Equal([name], await (await Store.GetFolderAsync("")).ListNamesAsync());
        var child = Assert.Single(await folder.ListAsync());
        Assert.Equal(DavPath.Root.Append(name).Append("inner.txt"), child.Path);
        await AssertContentAsync(name + "/inner.txt", TestBytes.Utf8("inner"));
    }

    [Fact]
    public async Task Nfc_And_Nfd_Names_Are_Two_Distinct_Files()
    {
        const string nfc = "caf\u00E9.txt";
        const string nfd = "cafe\u0301.txt";

        await Store.CreateFileAsync(nfc, TestBytes.Utf8("composed"));
        await Store.CreateFileAsync(nfd, TestBytes.Utf8("decomposed"));

        await AssertContentAsync(nfc, TestBytes.Utf8("composed"));
        await AssertContentAsync(nfd, TestBytes.Utf8("decomposed"));
        Assert.Equal(nfc, (await Store.GetFileAsync(nfc)).Name);
        Assert.Equal(nfd, (await Store.GetFileAsync(nfd)).Name);
        Assert.Equal(new[] { nfc, nfd }.Order(StringComparer.Ordinal), await (await Store.GetFolderAsync("")).ListNamesAsync());
    }

    [Fact]
    public async Task Nfc_And_Nfd_Names_Are_Two_Distinct_Folders()
    {
        await Store.CreateFolderAsync("\u00E9");
        await Store.CreateFolderAsync("e\u0301");
        await Store.CreateFileAsync("\u00E9/in-nfc", TestBytes.Utf8("1"));

        Assert.Single(await (await Store.GetFolderAsync("\u00E9")).ListAsync());
        Assert.Empty(await (await Store.GetFolderAsync("e\u0301")).ListAsync());
        Assert.Equal(2, (await (await Store.GetFolderAsync("")).ListAsync()).Count);
    }

    [Fact]
    public async Task A_Name_Is_Not_Found_Under_Its_Other_Normalisation_Form()
    {
        await Store.CreateFileAsync("e\u0301.txt", TestBytes.Utf8("nfd"));

        Assert.Null(await Store.GetAsync("\u00E9.txt"));
    }
}
