namespace Davit.Browser.Tests;

/// <summary>A server with resumable uploads turned off: the page sends each file as one plain PUT.</summary>
public sealed class PlainUploadTests(BrowserFixture browser) : PageTest(browser)
{
    protected override Task<PageServer> StartServerAsync() => PageServer.StartAsync(configure: o => o.EnableResumableUploads = false);

    [Fact]
    public async Task Without_Resumable_Uploads_Each_File_Goes_As_One_Plain_Put()
    {
        var source = RandomFile("report.bin", 3 * 1024 * 1024, seed: 8);
        await OpenAsync();

        await PickFilesAsync(source);
        var row = UploadRow("report.bin");
        await WaitForAsync(async () => await row.GetAttributeAsync("data-state") == "done", TimeSpan.FromSeconds(30), "the upload to finish");
        Assert.Equal(Sha256(source), Sha256(Server.OnDisk("report.bin")));
        Assert.Equal(3 * 1024 * 1024, Server.PutBytes);
    }
}
