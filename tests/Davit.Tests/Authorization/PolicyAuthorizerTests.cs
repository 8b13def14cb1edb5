using System.Net;
using System.Security.Claims;
using Davit.Authorization;
using Davit.Conformance.Http;
using Davit.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Tests.Authorization;

/// <summary>UseAuthorizationPolicies maps the engine's questions to ASP.NET Core authorization.</summary>
public sealed class PolicyAuthorizerTests
{
    [Fact]
    public async Task Named_Policies_And_Requirement_Handlers_Decide()
    {
        await using var server = await AuthorizationTestServer.StartAsync(services: s =>
        {
            s.AddAuthorization(o => o.AddPolicy("editors", p => p.RequireClaim(ClaimTypes.Name, "alice")));
            s.AddSingleton<IAuthorizationHandler, NoPrivateReads>();
            new WebDavBuilder(s).UseAuthorizationPolicies(o => o.WritePolicy("editors"));
        });
        await server.SeedAsync("private/p.txt", "p");
        await server.SeedAsync("public/a.txt", "a");

        // Read has no named policy: the requirement handler decides.
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync("bob", "GET", "public/a.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("bob", "GET", "private/p.txt")).StatusCode);
        var listing = Dav.Hrefs(await Dav.MultistatusAsync(await server.SendAsync("bob", "PROPFIND", "", null, ("Depth", "1"))));
        Assert.DoesNotContain("/private/", listing);
        Assert.Contains("/public/", listing);

        // Writes go through the "editors" policy.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("bob", "PUT", "public/a.txt", "bob")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync("alice", "PUT", "public/a.txt", "alice")).StatusCode);
        Assert.Equal("alice", await server.ReadAsync("public/a.txt"));

        // Anonymous and denied: challenged.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.SendAsync(null, "DELETE", "public/a.txt")).StatusCode);
    }

    private sealed class NoPrivateReads : AuthorizationHandler<DavAccessRequirement, DavAuthorizationRequest>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DavAccessRequirement requirement, DavAuthorizationRequest resource)
        {
            if (requirement.Access == DavAccess.Read && resource.Path.Segments is not ["private", ..])
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
