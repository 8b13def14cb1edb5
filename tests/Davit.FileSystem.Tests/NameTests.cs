using System.Text;

namespace Davit.FileSystem.Tests;

public sealed class NameTests : IDisposable
{
    private const string Nfc = "caf\u00e9.txt";
    private const string Nfd = "cafe\u0301.txt";

    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task Nfc_And_Nfd_Names_Stay_Distinct_And_Exact()
    {
        await bed.PutAsync(Nfc, "composed");
        await bed.PutAsync(Nfd, "decomposed");

        var names = await bed.ListAsync("");

        Assert.Equal(2, names.Count);
        Assert.Contains(Nfc, names);
        Assert.Contains(Nfd, names);
        Assert.Equal("composed", await StoreTestBed.ReadTextAsync(await bed.GetFileAsync(Nfc)));
        Assert.Equal("decomposed", await StoreTestBed.ReadTextAsync(await bed.GetFileAsync(Nfd)));
        Assert.Equal(Nfd, (await bed.GetFileAsync(Nfd)).Name);
        Assert.True(File.Exists(Path.Combine(bed.Root, Nfd)));
    }

    [Fact]
    public async Task A_Name_Made_Only_Of_Nfd_Is_Listed_With_Its_Nfd_Bytes()
    {
        await bed.PutAsync(Nfd, "d");

        var listed = Assert.Single(await bed.ListAsync(""));

        Assert.Equal(Encoding.UTF8.GetBytes(Nfd), Encoding.UTF8.GetBytes(listed));
        Assert.Null(await bed.GetAsync(Nfc));
    }
}
