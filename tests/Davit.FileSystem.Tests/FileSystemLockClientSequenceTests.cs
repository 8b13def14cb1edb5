using Davit.Conformance.Http;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

/// <summary>Real clients' locking sequences against the file-system store.</summary>
public sealed class FileSystemLockClientSequenceTests : LockClientSequenceTests
{
    private readonly string root = Directory.CreateTempSubdirectory("davit-lock-clients-").FullName;
    private FileSystemStore? store;

    protected override IDavStore CreateStore() => store = new FileSystemStore(new FileSystemStoreOptions { Root = root });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        store?.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
