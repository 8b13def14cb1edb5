using Davit.Storage;

namespace Davit.Conformance;

/// <summary>Request contexts for calling a store directly, outside any HTTP request.</summary>
public static class DavTestContext
{
    /// <summary>A context for an anonymous request that is never cancelled.</summary>
    public static StoreContext Create() => StoreContext.None();
}
