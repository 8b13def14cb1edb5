using System.Net;
using Davit.Server.Accounts;
using Davit.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Server.Tests.Accounts;

/// <summary>What a client sees of Basic authentication: challenges, failures, the throttle, plain HTTP, reloads.</summary>
public sealed class BasicAuthenticationTests
{
    private static readonly (string, string, AccountAccess)[] Alice = [("alice", "wonderland", AccountAccess.ReadWrite)];

    [Fact]
    public async Task Without_Credentials_The_Answer_Is_401_With_A_Basic_Challenge_In_UTF8()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice);
        foreach (var method in new[] { "OPTIONS", "GET", "PROPFIND", "PUT" })
        {
            var response = await host.SendAsync(method, "x.txt", null);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic realm=\"Test realm\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync("PUT", "x.txt", ("alice", "wonderland"), "hello")).StatusCode);
        Assert.Equal("hello", await (await host.SendAsync("GET", "x.txt", ("alice", "wonderland"))).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_Cors_Preflight_From_An_Allowed_Origin_Passes_Without_Credentials_And_Nothing_Else_Does()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice, dav: o => o.CorsOrigins = ["https://app.example"]);
        using var client = host.CreateClient();

        async Task<HttpResponseMessage> Preflight(string origin, bool announce = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "uploads/");
            request.Headers.Add("Origin", origin);
            if (announce)
            {
                request.Headers.Add("Access-Control-Request-Method", "POST");
                request.Headers.Add("Access-Control-Request-Headers", "authorization, tus-resumable, upload-length");
            }

            return await client.SendAsync(request);
        }

        // Browsers send a preflight without credentials and give up on anything but a 2xx.
        var allowed = await Preflight("https://app.example");
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(["https://app.example"], allowed.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("POST", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);

        // Another origin, or a plain OPTIONS that only names an origin, is challenged like any request.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Preflight("https://evil.example")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Preflight("https://app.example", announce: false)).StatusCode);

        // The request the preflight announced still needs the password.
        var post = new HttpRequestMessage(HttpMethod.Post, "");
        post.Headers.Add("Origin", "https://app.example");
        post.Headers.Add("Tus-Resumable", "1.0.0");
        post.Headers.Add("Upload-Length", "5");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(post)).StatusCode);
    }

    [Fact]
    public async Task Names_And_Passwords_Are_UTF8_And_May_Hold_Colons()
    {
        await using var host = await AccountsTestHost.StartAsync([("zoë", "p:ä:ss", AccountAccess.ReadWrite)]);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", ("zoë", "p:ä:ss"))).StatusCode);
    }

    [Fact]
    public async Task An_Unknown_User_And_A_Wrong_Password_Get_The_Same_Answer()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice);
        var unknown = await host.SendAsync("GET", "", ("nobody", "wonderland"));
        var wrong = await host.SendAsync("GET", "", ("alice", "looking-glass"));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(unknown.StatusCode, wrong.StatusCode);
        Assert.Equal(unknown.Headers.WwwAuthenticate.ToString(), wrong.Headers.WwwAuthenticate.ToString());
        Assert.Equal(await unknown.Content.ReadAsByteArrayAsync(), await wrong.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, host.Services.GetRequiredService<PasswordVerifier>().Verifications);
    }

    [Fact]
    public async Task Wrong_Credentials_Are_Never_Served_As_Anonymous_Even_With_Anonymous_Read()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice, anonymousRead: true);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync("GET", "", ("alice", "wrong"))).StatusCode);

        // Anonymous writes are challenged, so clients ask for a password.
        var put = await host.SendAsync("PUT", "anon.txt", null, "x");
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.StartsWith("Basic realm=", put.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync("GET", "anon.txt", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync("PUT", "anon.txt", ("alice", "wonderland"), "x")).StatusCode);
    }

    [Fact]
    public async Task Wrong_Passwords_Are_Throttled_After_Five_Tries_And_The_Throttle_Releases_Later()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync("GET", "", ("alice", $"guess{i}"))).StatusCode);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Even the right password is not checked now.
        var verifications = host.Services.GetRequiredService<PasswordVerifier>().Verifications;
        var throttled = await host.SendAsync("GET", "", ("alice", "wonderland"));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(295), throttled.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many failed logins", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(verifications, host.Services.GetRequiredService<PasswordVerifier>().Verifications);

        host.Clock.Advance(TimeSpan.FromSeconds(294));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.SendAsync("GET", "", ("alice", "wonderland"))).StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", ("alice", "wonderland"))).StatusCode);
    }

    [Fact]
    public async Task Basic_Over_Plain_HTTP_From_Another_Machine_Is_Refused_With_403_And_A_Reason()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice, pretendClient: IPAddress.Parse("203.0.113.9"));
        foreach (var credentials in new (string, string)?[] { ("alice", "wonderland"), null })
        {
            var response = await host.SendAsync("GET", "", credentials);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Empty(response.Headers.WwwAuthenticate);
            Assert.Contains("only over HTTPS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The password was not even checked.
        Assert.Equal(0, host.Services.GetRequiredService<PasswordVerifier>().Verifications);
    }

    [Fact]
    public async Task AllowBasicOverHttp_Accepts_Other_Machines_Over_Plain_HTTP()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice, allowBasicOverHttp: true, pretendClient: IPAddress.Parse("203.0.113.9"));
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", ("alice", "wonderland"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync("GET", "", null)).StatusCode);
    }

    [Fact]
    public async Task An_IPv4_Mapped_Loopback_Client_Counts_As_Loopback()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice, pretendClient: IPAddress.Loopback.MapToIPv6());
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", ("alice", "wonderland"))).StatusCode);
    }

    [Fact]
    public async Task The_Users_File_Is_Reloaded_When_It_Changes_And_A_Broken_One_Keeps_The_Old_Users()
    {
        await using var host = await AccountsTestHost.StartAsync(Alice);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", ("alice", "wonderland"))).StatusCode);

        UsersFile.Write(host.UsersFile, [
            new UserAccount("alice", PasswordVerifier.Hash("changed"), AccountAccess.ReadWrite, DavPath.Root, []),
            new UserAccount("bob", PasswordVerifier.Hash("builder"), AccountAccess.ReadOnly, DavPath.Root, []),
        ]);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync("GET", "", ("alice", "wonderland"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", ("alice", "changed"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync("PUT", "b.txt", ("bob", "builder"), "b")).StatusCode);

        await File.WriteAllTextAsync(host.UsersFile, "{ broken");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync("GET", "", ("bob", "builder"))).StatusCode);
    }
}
