using Davit.Conformance.Http;
using Davit.Storage;
using Davit.Storage.Memory;

namespace Davit.Tests.Locking.Clients;

/// <summary>Real clients' locking sequences against the in-memory store, mounted at the root.</summary>
public sealed class InMemoryLockClientSequenceTests : LockClientSequenceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();
}

/// <summary>The same under a prefix, where every href (lock root, 423 body, tagged If) carries it.</summary>
public sealed class InMemoryLockClientSequenceUnderPrefixTests : LockClientSequenceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();

    protected override string Prefix => "/dav";
}

/// <summary>The same with DAV:lockroot left out, as old MS Office versions need.</summary>
public sealed class InMemoryLockClientSequenceWithoutLockRootTests : LockClientSequenceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();

    protected override void ConfigureEngine(Davit.Hosting.DavOptions options) => options.OmitLockRoot = true;
}

/// <summary>The same with no cap on lock timeouts, so the mini-redirector's "Infinite" is granted as asked.</summary>
public sealed class InMemoryLockClientSequenceWithInfiniteLocksTests : LockClientSequenceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();

    protected override void ConfigureEngine(Davit.Hosting.DavOptions options) => options.MaxLockTimeout = Timeout.InfiniteTimeSpan;
}
