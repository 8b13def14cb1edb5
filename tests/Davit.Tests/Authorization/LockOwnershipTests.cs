using System.Net;

namespace Davit.Tests.Authorization;

/// <summary>A lock belongs to the user who took it: another user's UNLOCK gets 403.</summary>
public sealed class LockOwnershipTests
{
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";
    private const string Win32Times = """
        <D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>
        <Z:Win32LastModifiedTime>Wed, 01 Jan 2025 10:00:00 GMT</Z:Win32LastModifiedTime>
        </D:prop></D:set></D:propertyupdate>
        """;

    [Fact]
    public async Task Another_Users_Unlock_Gets_403_And_The_Lock_Stays()
    {
        await using var server = await AuthorizationTestServer.StartAsync(new RuleAuthorizer(_ => true));
        await server.SeedAsync("doc.txt", "v1");
        var token = await LockAsync(server, "alice", "doc.txt");

        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync("bob", "UNLOCK", "doc.txt", null, ("Lock-Token", token))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SendAsync(null, "UNLOCK", "doc.txt", null, ("Lock-Token", token))).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await server.SendAsync("alice", "PUT", "doc.txt", "v2")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync("alice", "UNLOCK", "doc.txt", null, ("Lock-Token", token))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync("bob", "PUT", "doc.txt", "v2")).StatusCode);
    }

    [Fact]
    public async Task An_Anonymous_Lock_Is_Released_By_Whoever_Has_Its_Token()
    {
        await using var server = await AuthorizationTestServer.StartAsync();
        await server.SeedAsync("doc.txt", "v1");
        var token = await LockAsync(server, null, "doc.txt");
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync("bob", "UNLOCK", "doc.txt", null, ("Lock-Token", token))).StatusCode);
    }

    [Fact]
    public async Task The_Office_Exception_Keeps_Working_For_The_Locks_Owner_Under_An_Authorizer()
    {
        await using var server = await AuthorizationTestServer.StartAsync(new RuleAuthorizer(_ => true));
        await server.SeedAsync("doc.docx", "v1");
        await LockAsync(server, "alice", "doc.docx");

        var mine = await server.SendAsync("alice", "PROPPATCH", "doc.docx", Win32Times);
        Assert.Equal(HttpStatusCode.MultiStatus, mine.StatusCode);
        Assert.Contains("200 OK", await mine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)423, (await server.SendAsync("bob", "PROPPATCH", "doc.docx", Win32Times)).StatusCode);
    }

    private static async Task<string> LockAsync(AuthorizationTestServer server, string? user, string path)
    {
        var locked = await server.SendAsync(user, "LOCK", path, LockBody);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        return locked.Headers.GetValues("Lock-Token").Single();
    }
}
