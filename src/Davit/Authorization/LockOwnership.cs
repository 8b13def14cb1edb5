using Davit.Diagnostics;
using Davit.Engine;
using Davit.Locking;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Authorization;

/// <summary>Locks belong to the user who took them (RFC 4918 §6.4: a lock token is tied to its creator).</summary>
internal static class LockOwnership
{
    /// <summary>403 when <paramref name="active"/> was taken by an authenticated user other than this request's.
    /// A lock taken anonymously has no owner but its token.</summary>
    public static void RequireOwner(DavRequest context, ActiveLock active)
    {
        if (active.Principal is null || string.Equals(LockManager.Principal(context), active.Principal, StringComparison.Ordinal))
        {
            return;
        }

        Log.LockNotOwned(context.Logger, DavAuthorization.UserName(context), context.Request.Method, "/" + context.Path, active.Principal);
        throw new DavException(StatusCodes.Status403Forbidden, $"The lock belongs to {active.Principal}.");
    }
}
