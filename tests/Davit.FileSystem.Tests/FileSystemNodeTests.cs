using Davit.Conformance.Http;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

/// <summary>Two servers, each with its own store object over one folder, as two processes on one machine.</summary>
public sealed class FileSystemTwoNodeTests : TwoNodeConformanceTests
{
    private readonly string root = Directory.CreateTempSubdirectory("davit-two-nodes-").FullName;

    protected override ValueTask<(IDavStore A, IDavStore B)> CreateStoresAsync() =>
        ValueTask.FromResult<(IDavStore, IDavStore)>((Open(), Open()));

    protected override async ValueTask DisposeStoresAsync(IDavStore a, IDavStore b)
    {
        await base.DisposeStoresAsync(a, b);
        Directory.Delete(root, recursive: true);
    }

    private FileSystemStore Open() => new(new FileSystemStoreOptions { Root = root });
}

/// <summary>A write whose commit fails is answered 507 and leaves the folder and its metadata as they were.</summary>
public sealed class FileSystemCommitFailureTests : CommitFailureConformanceTests
{
    private readonly string root = Directory.CreateTempSubdirectory("davit-commit-").FullName;

    protected override IDavStore CreateStore() => new FileSystemStore(new FileSystemStoreOptions { Root = root });

    protected override bool RollsBack => true;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}
