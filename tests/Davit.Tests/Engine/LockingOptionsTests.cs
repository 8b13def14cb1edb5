using System.Net;
using System.Xml.Linq;
using Davit.Conformance;
using Davit.Conformance.Http;
using Davit.Storage.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Tests.Engine;

/// <summary>The locking options, and lock expiry under a clock the test moves.</summary>
public sealed class LockingOptionsTests
{
    private static readonly XNamespace D = "DAV:";
    private const string Exclusive = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";

    [Fact]
    public async Task With_Locking_Off_Options_Says_Class_1_And_Lock_Is_501()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), configure: o => o.EnableLocking = false);
        await server.Client.PutAsync("f.txt", "x");
        var options = await server.Client.SendAsync("OPTIONS", "f.txt");
        var classes = string.Join(",", options.Headers.GetValues("DAV")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("1", classes);
        Assert.DoesNotContain("2", classes);
        Assert.DoesNotContain("LOCK", options.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.NotImplemented, (await server.Client.SendAsync("LOCK", "f.txt", Exclusive)).StatusCode);
        var ms = await Dav.MultistatusAsync(await server.Client.PropfindAsync("f.txt", "0"));
        Assert.Null(Dav.Property(ms, "/f.txt", D + "supportedlock"));
    }

    [Theory]
    [InlineData(null, "Second-600")]
    [InlineData("Second-30", "Second-30")]
    [InlineData("Infinite", "Second-3600")]
    [InlineData("Second-86400", "Second-3600")]
    public async Task Timeouts_Use_The_Default_And_Are_Capped_At_The_Maximum(string? requested, string granted)
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), configure: o =>
        {
            o.DefaultLockTimeout = TimeSpan.FromMinutes(10);
            o.MaxLockTimeout = TimeSpan.FromHours(1);
        }, services: s => s.AddSingleton<TimeProvider>(new ManualTimeProvider()));
        var request = Dav.Request("LOCK", "t.txt", Exclusive);
        if (requested is not null)
        {
            request.Headers.Add("Timeout", requested);
        }

        var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(granted, body.Descendants(D + "timeout").Single().Value);
    }

    [Fact]
    public async Task Infinite_Timeouts_Are_Granted_When_The_Maximum_Allows()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), configure: o => o.MaxLockTimeout = Timeout.InfiniteTimeSpan);
        var response = await server.Client.SendAsync("LOCK", "i.txt", Exclusive, ("Timeout", "Infinite"));
        Assert.Equal("Infinite", XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(D + "timeout").Single().Value);
    }

    [Fact]
    public async Task OmitLockRoot_Leaves_Lockroot_Out()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), configure: o => o.OmitLockRoot = true);
        var response = await server.Client.SendAsync("LOCK", "o.txt", Exclusive);
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Single(body.Descendants(D + "activelock"));
        Assert.Empty(body.Descendants(D + "lockroot"));
    }

    [Fact]
    public async Task An_Expired_Lock_Vanishes_And_Stops_Protecting_The_Resource()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), services: s => s.AddSingleton<TimeProvider>(clock));
        var locked = await server.Client.SendAsync("LOCK", "e.txt", Exclusive, ("Timeout", "Second-60"));
        var token = locked.Headers.GetValues("Lock-Token").Single();

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal((HttpStatusCode)423, (await server.Client.PutAsync("e.txt", "too early")).StatusCode);
        var refreshed = await server.Client.SendAsync("LOCK", "e.txt", null, ("If", $"({token})"), ("Timeout", "Second-60"));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal("Second-60", XDocument.Parse(await refreshed.Content.ReadAsStringAsync()).Descendants(D + "timeout").Single().Value);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal((HttpStatusCode)423, (await server.Client.PutAsync("e.txt", "still locked")).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.PutAsync("e.txt", "after expiry")).StatusCode);
        var ms = await Dav.MultistatusAsync(await server.Client.PropfindAsync("e.txt", "0", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>"));
        Assert.Empty(Dav.Property(ms, "/e.txt", D + "lockdiscovery")!.Value.Property.Elements());
        Assert.Equal(HttpStatusCode.Conflict, (await server.Client.SendAsync("UNLOCK", "e.txt", null, ("Lock-Token", token))).StatusCode);
    }
}
