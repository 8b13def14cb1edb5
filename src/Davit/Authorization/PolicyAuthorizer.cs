using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Davit.Authorization;

/// <summary>The adapter from the engine's questions to ASP.NET Core's <see cref="IAuthorizationService"/>.</summary>
internal sealed class PolicyAuthorizer(IOptions<DavPolicyAuthorizationOptions> options) : IDavAuthorizer
{
    private readonly DavPolicyAuthorizationOptions options = options.Value;

    public async ValueTask<DavAuthorizationResult> AuthorizeAsync(DavAuthorizationRequest request, CancellationToken cancellationToken)
    {
        // Authorization handlers may be scoped services, so the service comes from the request.
        var service = request.HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = options.Policies.TryGetValue(request.Access, out var policy)
            ? await service.AuthorizeAsync(request.User, request, policy)
            : await service.AuthorizeAsync(request.User, request, [DavAccessRequirement.For(request.Access)]);
        if (result.Succeeded)
        {
            return DavAuthorizationResult.Allow;
        }

        var reasons = result.Failure?.FailureReasons.Select(r => r.Message).Where(m => m.Length > 0).ToList() ?? [];
        var why = policy is null ? $"no handler succeeded the requirement {request.Access}" : $"the policy '{policy}' failed";
        return DavAuthorizationResult.Deny(reasons.Count > 0 ? $"{why}: {string.Join("; ", reasons)}" : why);
    }
}
