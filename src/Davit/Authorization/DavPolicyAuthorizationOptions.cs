namespace Davit.Authorization;

/// <summary>
/// How <c>UseAuthorizationPolicies()</c> maps the engine's questions to ASP.NET Core authorization: an access with
/// a named policy is authorized with that policy (the resource is the <see cref="DavAuthorizationRequest"/>); any
/// other access with the <see cref="DavAccessRequirement"/> for it, which the application's authorization handlers
/// must succeed (none succeeding means denied).
/// </summary>
public sealed class DavPolicyAuthorizationOptions
{
    /// <summary>Policy names by access, e.g. <c>Policies[DavAccess.Read] = "readers"</c>.</summary>
    public IDictionary<DavAccess, string> Policies { get; } = new Dictionary<DavAccess, string>();

    /// <summary>Uses <paramref name="policy"/> for every access but <see cref="DavAccess.Read"/>.</summary>
    public DavPolicyAuthorizationOptions WritePolicy(string policy)
    {
        foreach (var access in Enum.GetValues<DavAccess>().Where(a => a != DavAccess.Read))
        {
            Policies[access] = policy;
        }

        return this;
    }

    /// <summary>Uses <paramref name="policy"/> for <see cref="DavAccess.Read"/>.</summary>
    public DavPolicyAuthorizationOptions ReadPolicy(string policy)
    {
        Policies[DavAccess.Read] = policy;
        return this;
    }
}
