using Microsoft.AspNetCore.Authorization;

namespace Davit.Authorization;

/// <summary>
/// The ASP.NET Core authorization requirement for one <see cref="DavAccess"/>, used by
/// <c>UseAuthorizationPolicies()</c> for every access that has no named policy. Handle it with an
/// <c>AuthorizationHandler&lt;DavAccessRequirement, DavAuthorizationRequest&gt;</c>: the resource is the engine's
/// question (path, access, whether the tree below is included).
/// </summary>
public sealed class DavAccessRequirement : IAuthorizationRequirement
{
    private static readonly DavAccessRequirement[] All = [.. Enum.GetValues<DavAccess>().Select(a => new DavAccessRequirement(a))];

    private DavAccessRequirement(DavAccess access) => Access = access;

    /// <summary>The access this requirement stands for.</summary>
    public DavAccess Access { get; }

    /// <summary>The requirement for <paramref name="access"/> (one shared instance per value).</summary>
    public static DavAccessRequirement For(DavAccess access) => All[(int)access];

    /// <inheritdoc />
    public override string ToString() => $"WebDAV {Access}";
}
