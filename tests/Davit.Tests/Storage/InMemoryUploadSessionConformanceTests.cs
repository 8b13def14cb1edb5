using Davit.Conformance;
using Davit.Storage.Memory;
using Davit.Uploads;

namespace Davit.Tests.Storage;

/// <summary>The upload-session suite against the in-memory store's own sessions; a second instance shares its state.</summary>
public sealed class InMemoryUploadSessionConformanceTests : UploadSessionStoreConformanceTests
{
    protected override ValueTask<IUploadSessionStore> CreateSessionStoreAsync() =>
        ValueTask.FromResult<IUploadSessionStore>(new InMemoryStore());

    protected override ValueTask<IUploadSessionStore> OpenSecondInstanceAsync(IUploadSessionStore first) =>
        ValueTask.FromResult<IUploadSessionStore>(new InMemoryStore(((InMemoryStore)first).State));
}
