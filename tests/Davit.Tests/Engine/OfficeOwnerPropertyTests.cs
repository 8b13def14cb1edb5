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
/// MS Office, holding the exclusive lock on a document, PROPPATCHes its Win32 properties without the lock token.
/// The engine lets the lock's own authenticated user do that, and nothing more: other users, anonymous lock
/// holders, other properties and other methods still need the token.
/// </summary>
public sealed class OfficeOwnerPropertyTests : IAsyncLifetime
{
    private const string Exclusive = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>alice</D:href></D:owner></D:lockinfo>";
    private const string Win32Times = """
        <D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>
        <Z:Win32LastModifiedTime>Wed, 01 Jan 2025 10:00:00 GMT</Z:Win32LastModifiedTime>
        <Z:Win32FileAttributes>00000020</Z:Win32FileAttributes>
        </D:prop></D:set></D:propertyupdate>
        """;
    private const string DeadProperty = """
        <D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x:note xmlns:x="urn:example">hi</x:note></D:prop></D:set></D:propertyupdate>
        """;

    private static readonly System.Xml.Linq.XNamespace Z = "urn:schemas-microsoft-com:";

    private DavTestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await DavTestServer.StartAsync(
            new InMemoryStore(),
            services: s => s.AddAuthentication("User").AddScheme<AuthenticationSchemeOptions, UserHeaderHandler>("User", null),
            endpoint: (app, _) => app.UseAuthentication());
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("doc.docx", "v1")).StatusCode);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task The_Lock_Holder_Sets_Win32_Properties_Without_The_Token()
    {
        await LockAsync("alice");

        var response = await SendAsync("PROPPATCH", Win32Times, "alice");
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = await Dav.MultistatusAsync(response);
        foreach (var name in new[] { "Win32LastModifiedTime", "Win32FileAttributes" })
        {
            Assert.Contains("200", Dav.Property(result, "/doc.docx", Z + name)!.Value.Status, StringComparison.Ordinal);
        }

        // Win32LastModifiedTime set the real modification time.
        var ms = await Dav.MultistatusAsync(await server.Client.PropfindAsync("doc.docx", "0"));
        Assert.Equal("Wed, 01 Jan 2025 10:00:00 GMT", Dav.Property(ms, "/doc.docx", Dav.D + "getlastmodified")!.Value.Property.Value);
    }

    [Fact]
    public async Task Another_User_Still_Needs_The_Token()
    {
        await LockAsync("alice");
        await AssertLockedAsync(await SendAsync("PROPPATCH", Win32Times, "bob"));
        await AssertLockedAsync(await SendAsync("PROPPATCH", Win32Times, null));
    }

    [Fact]
    public async Task The_Lock_Holder_Still_Needs_The_Token_For_Other_Properties_And_Methods()
    {
        await LockAsync("alice");
        await AssertLockedAsync(await SendAsync("PROPPATCH", DeadProperty, "alice"));
        await AssertLockedAsync(await SendAsync("PUT", "v2", "alice"));
        Assert.Equal("v1", await server.Client.GetStringAsync("doc.docx"));
    }

    [Fact]
    public async Task An_Anonymous_Lock_Has_No_Owner_To_Exempt()
    {
        await LockAsync(null);
        await AssertLockedAsync(await SendAsync("PROPPATCH", Win32Times, null));
        await AssertLockedAsync(await SendAsync("PROPPATCH", Win32Times, "alice"));
    }

    private async Task LockAsync(string? user)
    {
        var response = await SendAsync("LOCK", Exclusive, user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string body, string? user)
    {
        var request = Dav.Request(method, "doc.docx", body);
        if (user is not null)
        {
            request.Headers.Add("X-User", user);
        }

        return await server.Client.SendAsync(request);
    }

    private static async Task AssertLockedAsync(HttpResponseMessage response)
    {
        Assert.Equal((HttpStatusCode)423, response.StatusCode);
        Assert.Contains("lock-token-submitted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Authenticates whoever the X-User header names; no header, anonymous.</summary>
    private sealed class UserHeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers["X-User"].ToString();
            if (user.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
