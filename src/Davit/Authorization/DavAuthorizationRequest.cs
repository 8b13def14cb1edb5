using System.Security.Claims;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Authorization;

/// <summary>One question the engine asks <see cref="IDavAuthorizer"/>: may <see cref="User"/> do
/// <see cref="Access"/> on <see cref="Path"/>?</summary>
public sealed class DavAuthorizationRequest
{
    /// <summary>Creates a question.</summary>
    public DavAuthorizationRequest(HttpContext httpContext, DavPath path, DavAccess access, bool includesDescendants)
    {
        HttpContext = httpContext;
        Path = path;
        Access = access;
        IncludesDescendants = includesDescendants;
    }

    /// <summary>The request being served.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The user (<see cref="ClaimsPrincipal.Identity"/> is not authenticated for an anonymous request).</summary>
    public ClaimsPrincipal User => HttpContext.User;

    /// <summary>The HTTP method of the request (the access may be for another path than the request URL: COPY's
    /// destination, say).</summary>
    public string Method => HttpContext.Request.Method;

    /// <summary>The store path, from the store's root: a user confined to a home folder gets paths inside it, with
    /// the home folder's segments first.</summary>
    public DavPath Path { get; }

    /// <summary>What the operation needs.</summary>
    public DavAccess Access { get; }

    /// <summary>
    /// True when the operation reaches everything below <see cref="Path"/> as well (DELETE, COPY or MOVE of a
    /// folder, a Depth: infinity LOCK). The engine does not walk the tree: an authorizer that restricts parts of it
    /// must answer for the whole tree, and deny when any part below is denied.
    /// </summary>
    public bool IncludesDescendants { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Access} on /{Path}{(IncludesDescendants ? " and below" : string.Empty)}";
}
