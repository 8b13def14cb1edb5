using Davit.Conformance.Http;
using Davit.Storage;
using Davit.Storage.Memory;

namespace Davit.Tests.Engine;

/// <summary>The HTTP conformance suite against the in-memory store (no physical files), mounted at the root.</summary>
public sealed class InMemoryHttpTests : HttpConformanceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();
}

/// <summary>The same suite with the store mounted under a prefix.</summary>
public sealed class InMemoryHttpUnderPrefixTests : HttpConformanceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();

    protected override string Prefix => "/dav";
}

/// <summary>The quota suite against the in-memory store.</summary>
public sealed class InMemoryQuotaTests : QuotaConformanceTests
{
    protected override IDavStore CreateStore() => new InMemoryStore();
}
