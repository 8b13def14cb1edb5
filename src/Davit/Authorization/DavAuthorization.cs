using Davit.Diagnostics;
using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Authorization;

/// <summary>Where the engine asks <see cref="IDavAuthorizer"/>, and how it answers a denial.</summary>
internal static class DavAuthorization
{
    /// <summary>
    /// Authorizes the request before its handler runs. True when it may go ahead; false when it was answered with
    /// a challenge (an anonymous request the application can authenticate). Throws 403 for any other denial.
    /// </summary>
    public static async ValueTask<bool> AuthorizeRequestAsync(DavRequest context)
    {
        HomeFolders.RefuseRemovingHome(context);
        var authorizer = Authorizer(context.Http);
        if (authorizer is AllowAllAuthorizer)
        {
            return true;
        }

        foreach (var check in await AccessRules.ForRequestAsync(context))
        {
            var result = await authorizer.AuthorizeAsync(new DavAuthorizationRequest(context.Http, check.Path, check.Access, check.Tree), context.Aborted);
            if (!result.Allowed)
            {
                Log.AccessDenied(context.Logger, UserName(context), context.Request.Method, check.Access, "/" + check.Path, check.Tree, result.Reason ?? "denied");
                if (await ChallengeAsync(context))
                {
                    return false;
                }

                throw Forbidden(check);
            }
        }

        return true;
    }

    /// <summary>One more access inside a request that writes several resources (each file of a form POST):
    /// 403 when denied.</summary>
    public static async ValueTask RequireAsync(DavRequest context, DavPath path, DavAccess access)
    {
        var authorizer = Authorizer(context.Http);
        if (authorizer is AllowAllAuthorizer)
        {
            return;
        }

        var result = await authorizer.AuthorizeAsync(new DavAuthorizationRequest(context.Http, path, access, false), context.Aborted);
        if (!result.Allowed)
        {
            Log.AccessDenied(context.Logger, UserName(context), context.Request.Method, access, "/" + path, false, result.Reason ?? "denied");
            throw Forbidden(new AccessCheck(path, access, false));
        }
    }

    internal static IDavAuthorizer Authorizer(HttpContext http) =>
        http.RequestServices.GetService<IDavAuthorizer>() ?? AllowAll;

    internal static string UserName(DavRequest context) =>
        context.Http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "(anonymous)";

    private static readonly AllowAllAuthorizer AllowAll = new();

    private static DavException Forbidden(AccessCheck check) =>
        new(StatusCodes.Status403Forbidden, $"{check.Access} on /{check.Path}{(check.Tree ? " and below" : string.Empty)} is not allowed for this user.");

    /// <summary>An anonymous request is asked for credentials (401 from the application's default challenge
    /// scheme), so clients prompt for a password instead of giving up on a 403.</summary>
    private static async ValueTask<bool> ChallengeAsync(DavRequest context)
    {
        if (context.Http.User.Identity?.IsAuthenticated == true
            || context.Http.RequestServices.GetService<IAuthenticationSchemeProvider>() is not { } schemes
            || await schemes.GetDefaultChallengeSchemeAsync() is null)
        {
            return false;
        }

        await context.Http.ChallengeAsync();
        return true;
    }
}
