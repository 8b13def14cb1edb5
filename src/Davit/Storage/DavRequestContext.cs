using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Davit.Storage;

/// <summary>
/// What a store may know about the request it serves: the user, the services, a bag for per-request state.
/// One instance per request; never shared between requests.
/// </summary>
public sealed class DavRequestContext
{
    /// <summary>Creates the context for <paramref name="httpContext"/>.</summary>
    public DavRequestContext(HttpContext httpContext)
    {
        HttpContext = httpContext;
    }

    /// <summary>The ASP.NET Core request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The authenticated user (anonymous when there is no authentication).</summary>
    public ClaimsPrincipal User => HttpContext.User;

    /// <summary>The request's service provider.</summary>
    public IServiceProvider Services => HttpContext.RequestServices;

    /// <summary>Per-request state a store may keep (a transaction, a cache of rows it has read).</summary>
    public IDictionary<object, object?> Items => HttpContext.Items;
}
