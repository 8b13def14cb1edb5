using System.Security.Claims;
using Davit.Quotas;
using Davit.Storage;

namespace Davit.Server.Accounts;

/// <summary>
/// The server's quotas: the folder quotas of Davit:Quotas, and each user's quota on their home folder from the users
/// file (read again when the file changes). A quota is on a folder, not on a person: it counts whatever anyone stores
/// there, and governs every write there, whoever makes it.
/// </summary>
internal sealed class ServerQuotas(IReadOnlyList<DavQuota> folders, UserDirectory? users) : IDavQuotaProvider
{
    public ValueTask<IReadOnlyList<DavQuota>> GetQuotasAsync(DavPath path, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        List<DavQuota>? found = null;
        foreach (var quota in folders)
        {
            if (path.IsSameOrDescendantOf(quota.Folder))
            {
                (found ??= []).Add(quota);
            }
        }

        foreach (var account in users?.All ?? [])
        {
            if (account.QuotaBytes is { } bytes && path.IsSameOrDescendantOf(account.Home))
            {
                (found ??= []).Add(new DavQuota(account.Home, bytes));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<DavQuota>>(found ?? []);
    }
}
