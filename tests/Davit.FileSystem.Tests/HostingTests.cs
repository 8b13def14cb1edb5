using Davit.Hosting;
using Davit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Davit.FileSystem.Tests;

public sealed class HostingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "davit-fs-host-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task AddFileSystemStore_Registers_One_FileSystemStore_As_The_Store()
    {
        var services = new ServiceCollection();
        services.AddWebDav().AddInMemoryStore().AddFileSystemStore(o => o.Root = root);

        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IDavStore>();

            Assert.IsType<FileSystemStore>(store);
            Assert.Same(store, provider.GetRequiredService<IDavStore>());
            Assert.Single(services, d => d.ServiceType == typeof(IDavStore));
        }

        Assert.True(File.Exists(Path.Combine(root, ".davit", "davit.db")));
    }

    [Fact]
    public void An_Empty_Root_Fails_Validation()
    {
        var services = new ServiceCollection();
        services.AddWebDav().AddFileSystemStore(o => o.Root = " ");
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FileSystemStoreOptions>>().Value);
    }

    [Fact]
    public void A_Metadata_Path_That_Contains_The_Root_Is_Refused()
    {
        Assert.Throws<ArgumentException>(() =>
            new FileSystemStore(new FileSystemStoreOptions { Root = Path.Combine(root, "data"), MetadataPath = root }));
    }
}
