using Davit.Conformance;
using Davit.Locking;

namespace Davit.Tests.Locking;

public sealed class InMemoryLockStoreConformanceTests : LockStoreConformanceTests
{
    protected override ValueTask<ILockStore> CreateLockStoreAsync() => ValueTask.FromResult<ILockStore>(new InMemoryLockStore());
}
