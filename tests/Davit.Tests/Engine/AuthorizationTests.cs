using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Davit.Conformance.Http;
using Davit.Storage.Memory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Davit.Tests.Engine;

/// <summary>
/// MapWebDav returns a convention builder, so the application's own authorization applies; and it applies to
/// every request, partial downloads included: nothing is remembered from an earlier request on the connection.
/// </summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private DavTestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await DavTestServer.StartAsync(
            new InMemoryStore(),
            "/dav",
            services: s =>
            {
                s.AddAuthentication("Token").AddScheme<AuthenticationSchemeOptions, TokenHandler>("Token", null);
                s.AddAuthorization();
            },
            endpoint: (app, mapped) =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                mapped.RequireAuthorization();
            });
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Every_Range_Request_Is_Authorized_On_Its_Own()
    {
        var put = Dav.Request("PUT", "video.bin", null, ("X-Token", "secret"));
        put.Content = new ByteArrayContent(new byte[100_000]);
        Assert.Equal(HttpStatusCode.Created, (await server.Client.SendAsync(put)).StatusCode);

        // One keep-alive connection (the same HttpClient): allowed, then refused, then allowed again.
        Assert.Equal(HttpStatusCode.PartialContent, (await RangeAsync("bytes=0-999", "secret")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RangeAsync("bytes=1000-1999", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RangeAsync("bytes=2000-2999", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.PartialContent, (await RangeAsync("bytes=3000-3999", "secret")).StatusCode);
    }

    private async Task<HttpResponseMessage> RangeAsync(string range, string? token)
    {
        var request = Dav.Request("GET", "video.bin");
        request.Headers.TryAddWithoutValidation("Range", range);
        if (token is not null)
        {
            request.Headers.Add("X-Token", token);
        }

        return await server.Client.SendAsync(request);
    }

    private sealed class TokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-Token"] != "secret")
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "tester")], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
