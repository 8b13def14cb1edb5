using Davit.Conformance;
using Davit.Uploads;

namespace Davit.FileSystem.Tests;

/// <summary>
/// The upload-session suite against the file-system store's sessions (rows in its database, bytes in its metadata
/// folder). A restart is a new store object over the same folder; a second instance is one alongside the first, as a
/// second process would be.
/// </summary>
public sealed class FileSystemUploadSessionConformanceTests : UploadSessionStoreConformanceTests
{
    private readonly string root = Directory.CreateTempSubdirectory("davit-fs-sessions-").FullName;

    protected override ValueTask<IUploadSessionStore> CreateSessionStoreAsync() => ValueTask.FromResult<IUploadSessionStore>(Open());

    protected override ValueTask<IUploadSessionStore> ReopenSessionStoreAsync(IUploadSessionStore store)
    {
        ((FileSystemStore)store).Dispose();
        return ValueTask.FromResult<IUploadSessionStore>(Open());
    }

    protected override ValueTask<IUploadSessionStore> OpenSecondInstanceAsync(IUploadSessionStore first) => ValueTask.FromResult<IUploadSessionStore>(Open());

    protected override async ValueTask DisposeSessionStoreAsync(IUploadSessionStore store)
    {
        await base.DisposeSessionStoreAsync(store);
        Directory.Delete(root, recursive: true);
    }

    private FileSystemStore Open() => new(new FileSystemStoreOptions { Root = root });
}
