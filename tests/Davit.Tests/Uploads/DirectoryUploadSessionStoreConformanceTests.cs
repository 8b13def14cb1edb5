using Davit.Conformance;
using Davit.Uploads;

namespace Davit.Tests.Uploads;

/// <summary>The default session store over a fresh temporary folder; a restart is a new store over the same
/// folder, with nothing carried over in memory.</summary>
public sealed class DirectoryUploadSessionStoreConformanceTests : UploadSessionStoreConformanceTests
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "davit-uploads-" + Guid.NewGuid().ToString("N"));

    protected override ValueTask<IUploadSessionStore> CreateSessionStoreAsync() =>
        ValueTask.FromResult<IUploadSessionStore>(new DirectoryUploadSessionStore(folder));

    protected override ValueTask<IUploadSessionStore> ReopenSessionStoreAsync(IUploadSessionStore store)
    {
        ((DirectoryUploadSessionStore)store).Dispose();
        return ValueTask.FromResult<IUploadSessionStore>(new DirectoryUploadSessionStore(folder));
    }

    protected override ValueTask DisposeSessionStoreAsync(IUploadSessionStore store)
    {
        ((DirectoryUploadSessionStore)store).Dispose();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
