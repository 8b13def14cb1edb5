using Davit.Conformance;
using Davit.FileSystem;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

public sealed class FileSystemStoreConformanceTests : StoreConformanceTests
{
    private string? root;

    protected override ValueTask<IDavStore> CreateStoreAsync()
    {
        root = Path.Combine(Path.GetTempPath(), "davit-fs-conformance-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return ValueTask.FromResult<IDavStore>(new FileSystemStore(new FileSystemStoreOptions { Root = root }));
    }

    protected override ValueTask<IDavStore> OpenSecondInstanceAsync(IDavStore first) =>
        ValueTask.FromResult<IDavStore>(new FileSystemStore(new FileSystemStoreOptions { Root = root! }));

    protected override ValueTask DisposeStoreAsync(IDavStore store)
    {
        ((FileSystemStore)store).Dispose();
        if (root is not null && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
