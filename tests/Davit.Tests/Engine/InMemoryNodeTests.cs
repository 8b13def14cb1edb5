using Davit.Conformance.Http;
using Davit.Storage;
using Davit.Storage.Memory;

namespace Davit.Tests.Engine;

/// <summary>Two servers over one in-memory state, as two nodes over one backing store.</summary>
public sealed class InMemoryTwoNodeTests : TwoNodeConformanceTests
{
    protected override ValueTask<(IDavStore A, IDavStore B)> CreateStoresAsync()
    {
        var state = new InMemoryStoreState();
        return ValueTask.FromResult<(IDavStore, IDavStore)>((new InMemoryStore(state), new InMemoryStore(state)));
    }
}

/// <summary>Commits that fail on the in-memory store are never answered with a 2xx (it does not roll back).</summary>
public sealed class InMemoryCommitFailureTests : CommitFailureConformanceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();

    protected override bool RollsBack => false;
}
