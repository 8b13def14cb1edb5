using Davit.Authorization;
using Davit.Engine;
using Davit.Locking;
using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// The access and lock rules of an upload's requests, which concern the file the upload becomes: Create on it (or
/// WriteContent when it exists), and the lock tokens a PUT of it would need (its own locks, and its folder's when it
/// is new). Every request on the upload, from the first to the cancellation, is checked this way.
/// </summary>
internal static class UploadRules
{
    public static async ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request, DavPath target) =>
        [new(target, await ExistingAsync(request, target) is null ? DavAccess.Create : DavAccess.WriteContent, false)];

    public static async ValueTask RequireLockTokensAsync(DavRequest request, DavPath target) =>
        await LockManager.RequireWriteAsync(request, target, await ExistingAsync(request, target) is null);

    private static ValueTask<IHierarchyItem?> ExistingAsync(DavRequest request, DavPath target) =>
        target == request.Path ? ValueTask.FromResult(request.Item) : request.ResolveAsync(target);
}
