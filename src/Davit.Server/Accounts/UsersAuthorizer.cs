using System.Security.Claims;
using Davit.Authorization;
using Davit.Storage;

namespace Davit.Server.Accounts;

/// <summary>
/// The engine's authorization hook and home folders, from the users file: reading needs read access at the path,
/// every other access (writing content or properties, creating, deleting, locking) needs write access, for the
/// whole tree when the operation reaches below the path. Anonymous requests may only read, and only when
/// <c>AnonymousRead</c> is on; a user removed from the file (while their request was under way) may do nothing.
/// </summary>
internal sealed class UsersAuthorizer(UserDirectory users, AccountsOptions options) : IDavAuthorizer, IDavHomeFolderProvider
{
    public ValueTask<DavAuthorizationResult> AuthorizeAsync(DavAuthorizationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Decide(request));

    public ValueTask<DavPath> GetHomeAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Account(user)?.Home ?? DavPath.Root);

    private DavAuthorizationResult Decide(DavAuthorizationRequest request)
    {
        var write = request.Access != DavAccess.Read;
        if (request.User.Identity is not { IsAuthenticated: true })
        {
            return !write && options.AnonymousRead
                ? DavAuthorizationResult.Allow
                : DavAuthorizationResult.Deny(options.AnonymousRead ? "anonymous users may only read" : "anonymous access is off");
        }

        if (Account(request.User) is not { } account)
        {
            return DavAuthorizationResult.Deny("the user is no longer in the users file");
        }

        // Rules are written as the user sees paths: from their home folder.
        if (!request.Path.IsSameOrDescendantOf(account.Home))
        {
            return DavAuthorizationResult.Deny("the path is outside the user's home folder");
        }

        var visible = request.Path.Rebase(account.Home, DavPath.Root);
        return account.Allows(visible, write, request.IncludesDescendants)
            ? DavAuthorizationResult.Allow
            : DavAuthorizationResult.Deny(write
                ? $"{account.Name} may not write at /{visible}{(request.IncludesDescendants ? " or below" : string.Empty)} ({(account.Access == AccountAccess.ReadOnly ? "read-only" : "a rule")})"
                : $"{account.Name} may not read /{visible}{(request.IncludesDescendants ? " or below" : string.Empty)} (a rule)");
    }

    private UserAccount? Account(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } name } ? users.Find(name) : null;
}
