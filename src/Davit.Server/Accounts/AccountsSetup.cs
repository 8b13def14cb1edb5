using Davit.Authorization;
using Davit.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Davit.Server.Accounts;

/// <summary>Wires the users file into the host: Basic authentication, the engine's authorization hook and home
/// folders, and the rule that a request with bad credentials (or none, unless anonymous reading is on) is
/// challenged before it reaches the engine.</summary>
internal static class AccountsSetup
{
    public static IWebDavBuilder AddAccounts(this IWebDavBuilder dav, AccountsOptions options)
    {
        var services = dav.Services;
        services.AddSingleton(options);
        services.AddSingleton(sp => UserDirectory.Open(
            options.UsersFile, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category)));
        services.AddSingleton<PasswordVerifier>();
        services.AddSingleton(sp => new LoginCache(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LoginThrottle(options.MaxFailedLogins, options.FailedLoginWindow, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Logins>();
        services.AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<BasicAuthenticationOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, o =>
            {
                o.Realm = options.Realm;
                o.AllowBasicOverHttp = options.AllowBasicOverHttp;
            });
        return dav.AddAuthorizer<UsersAuthorizer>().AddHomeFolders<UsersAuthorizer>();
    }

    /// <summary>Authentication, then: bad credentials are challenged (never served as anonymous), and so is a
    /// request without credentials unless anonymous reading is on (the engine challenges anonymous writes). A CORS
    /// preflight from an origin in <see cref="DavOptions.CorsOrigins"/> passes: browsers never send credentials with
    /// one, and the engine answers it without touching anything; the request it announces is authenticated as usual.</summary>
    public static void UseAccounts(this IApplicationBuilder app, AccountsOptions options)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category);
        var dav = app.ApplicationServices.GetRequiredService<IOptions<DavOptions>>();
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (IsAllowedPreflight(context.Request, dav.Value))
            {
                await next(context);
                return;
            }

            var result = await context.AuthenticateAsync();
            if (result.Failure is not null || (!result.Succeeded && !options.AnonymousRead))
            {
                await context.ChallengeAsync();

                // These never reach the engine, which logs every other request.
                Log.RequestChallenged(logger, context.Request.Method, context.Request.PathBase.Add(context.Request.Path).ToString(),
                    context.Response.StatusCode, result.Failure?.Message ?? "no credentials");
                return;
            }

            await next(context);
        });
    }

    private static bool IsAllowedPreflight(HttpRequest request, DavOptions dav)
    {
        if (!HttpMethods.IsOptions(request.Method) || request.Headers.AccessControlRequestMethod.Count == 0
            || request.Headers.Authorization.Count > 0)
        {
            return false;
        }

        return dav.AllowsCorsOrigin(request.Headers.Origin.ToString());
    }
}
