using System.Security.Claims;
using Davit.Storage;

namespace Davit.Authorization;

/// <summary>The default authorizer: everything is allowed (the application's endpoint authorization, if any, has
/// already decided who may reach the engine at all).</summary>
internal sealed class AllowAllAuthorizer : IDavAuthorizer
{
    public ValueTask<DavAuthorizationResult> AuthorizeAsync(DavAuthorizationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DavAuthorizationResult.Allow);
}

/// <summary>The default home folders: every user sees the whole store.</summary>
internal sealed class StoreRootHomeFolders : IDavHomeFolderProvider
{
    public ValueTask<DavPath> GetHomeAsync(ClaimsPrincipal user, CancellationToken cancellationToken) => ValueTask.FromResult(DavPath.Root);
}
