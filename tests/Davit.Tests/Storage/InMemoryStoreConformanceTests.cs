using Davit.Conformance;
using Davit.Storage;
using Davit.Storage.Memory;

namespace Davit.Tests.Storage;

public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    protected override ValueTask<IDavStore> CreateStoreAsync() => ValueTask.FromResult<IDavStore>(new InMemoryStore());

    protected override ValueTask<IDavStore> OpenSecondInstanceAsync(IDavStore first) =>
        ValueTask.FromResult<IDavStore>(new InMemoryStore(((InMemoryStore)first).State));
}
