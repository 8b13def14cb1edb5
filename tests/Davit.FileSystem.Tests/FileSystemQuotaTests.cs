using System.Net;
using Davit.Conformance.Http;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

/// <summary>The quota suite against the file-system store, plus what only a store that outlives its server shows.</summary>
public sealed class FileSystemQuotaTests : QuotaConformanceTests
{
    private readonly string root = Directory.CreateTempSubdirectory("davit-quota-").FullName;
    private FileSystemStore? store;

    protected override IDavStore CreateStore() => store = new FileSystemStore(new FileSystemStoreOptions { Root = root });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        store?.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Two_Servers_Over_One_Folder_Racing_For_The_Quota_Never_Both_Win()
    {
        using var second = new FileSystemStore(new FileSystemStoreOptions { Root = root });
        await RaceAcrossServersAsync(second);
    }

    [Fact]
    public async Task After_A_Restart_The_Figures_Count_The_Files_And_The_Uploads_In_Progress()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/file.bin", Bytes(200))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await TusCreateAsync("pending.bin", 600)).StatusCode);

        // A file written behind the server's back is counted too: nothing is kept that could disagree with the disk.
        await File.WriteAllBytesAsync(Path.Combine(root, "q", "edited.bin"), Bytes(50));

        await Server.DisposeAsync();
        store!.Dispose();
        Server = await StartAsync(CreateStore());

        Assert.Equal((850L, 150L), await QuotaAsync("q/"));
        Assert.Equal(HttpStatusCode.InsufficientStorage, (await Client.PutAsync("q/more.bin", Bytes(151))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/more.bin", Bytes(150))).StatusCode);
    }
}
