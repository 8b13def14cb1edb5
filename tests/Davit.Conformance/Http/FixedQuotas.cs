using System.Security.Claims;
using Davit.Quotas;
using Davit.Storage;

namespace Davit.Conformance.Http;

/// <summary>A quota provider for tests: the same quotas for everyone, on fixed folders.</summary>
public sealed class FixedQuotas(params DavQuota[] quotas) : IDavQuotaProvider
{
    public ValueTask<IReadOnlyList<DavQuota>> GetQuotasAsync(DavPath path, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<DavQuota>>([.. quotas.Where(q => path.IsSameOrDescendantOf(q.Folder))]);
}
