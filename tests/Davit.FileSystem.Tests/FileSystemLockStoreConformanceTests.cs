using Davit.Conformance;
using Davit.Locking;

namespace Davit.FileSystem.Tests;

/// <summary>The file-system store keeps its own locks (it implements <see cref="ILockStore"/>), so it must pass the
/// lock store suite as well as the store suite.</summary>
public sealed class FileSystemLockStoreConformanceTests : LockStoreConformanceTests
{
    private string? root;

    protected override ValueTask<ILockStore> CreateLockStoreAsync()
    {
        root = Path.Combine(Path.GetTempPath(), "davit-fs-locks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return ValueTask.FromResult<ILockStore>(new FileSystemStore(new FileSystemStoreOptions { Root = root }));
    }

    protected override ValueTask DisposeLockStoreAsync(ILockStore store)
    {
        ((FileSystemStore)store).Dispose();
        if (root is not null && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
