using System.Security.Claims;

namespace Davit.Storage;

/// <summary>
/// What a store may know about the request it serves: the user, the request's services, its cancellation, a bag
/// for per-request state, and the unit of work the engine has begun with the store. One instance per request; never
/// shared between requests. It deliberately carries no HTTP: a store works in paths, items and outcomes.
/// </summary>
public sealed class StoreContext
{
    // Made on first use: most requests (a GET, a PROPFIND) never keep anything in it.
    private Dictionary<object, object?>? items;

    /// <summary>Creates the context of one request.</summary>
    /// <param name="user">The authenticated user (an anonymous principal when there is no authentication).</param>
    /// <param name="services">The request's service provider.</param>
    /// <param name="requestAborted">Cancelled when the client goes away.</param>
    public StoreContext(ClaimsPrincipal user, IServiceProvider services, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(services);
        User = user;
        Services = services;
        RequestAborted = requestAborted;
    }

    /// <summary>The authenticated user (anonymous when there is no authentication).</summary>
    public ClaimsPrincipal User { get; }

    /// <summary>The request's service provider.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Cancelled when the client goes away.</summary>
    public CancellationToken RequestAborted { get; }

    /// <summary>Per-request state a store may keep (rows it has read, say).</summary>
    public IDictionary<object, object?> Items => items ??= new Dictionary<object, object?>();

    /// <summary>
    /// The unit of work the engine began with <see cref="IDavStore.BeginAsync"/> and has not yet ended, or null.
    /// The engine sets it; a store reads it to find its transaction when it resolves items and writes through them.
    /// </summary>
    public IUnitOfWork? UnitOfWork { get; set; }

    /// <summary>A context for work outside any HTTP request (a background sweep, a test): an anonymous user, no
    /// services, never cancelled.</summary>
    public static StoreContext None() => new(new ClaimsPrincipal(new ClaimsIdentity()), EmptyServices.Instance, CancellationToken.None);

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
