using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Conformance;

/// <summary>Request contexts for calling a store directly, outside any HTTP request.</summary>
public static class DavTestContext
{
    /// <summary>A context over a fresh, anonymous <see cref="DefaultHttpContext"/>.</summary>
    public static DavRequestContext Create() => new(new DefaultHttpContext());
}
