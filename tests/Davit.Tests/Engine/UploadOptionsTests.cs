using Davit.Storage;
using System.Net;
using System.Text;
using Davit.Conformance;
using Davit.Conformance.Http;
using Davit.Storage.Memory;
using Davit.Uploads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Davit.Tests.Engine;

/// <summary>The upload options, and the reclaiming of stale uploads under a clock the test moves.</summary>
public sealed class UploadOptionsTests
{
    private static HttpRequestMessage Segment(string url, string text, long first, string total)
    {
        var request = Dav.Request("PUT", url);
        request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(text));
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {first}-{first + text.Length - 1}/{total}");
        return request;
    }

    [Fact]
    public async Task With_Uploads_Off_A_Content_Range_Put_Is_400_And_Changes_Nothing()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), configure: o => o.EnableResumableUploads = false);
        await server.Client.PutAsync("keep.txt", "original");
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.SendAsync(Segment("keep.txt", "XX", 0, "8"))).StatusCode);
        Assert.Equal("original", await server.Client.GetStringAsync("keep.txt"));
        var dav = string.Join(",", (await server.Client.SendAsync("OPTIONS", "")).Headers.GetValues("DAV"));
        Assert.DoesNotContain("resumable-upload", dav, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Incomplete_Status_Can_Be_204_For_Clients_That_Follow_308()
    {
        await using var server = await DavTestServer.StartAsync(new InMemoryStore(), configure: o => o.IncompleteUploadStatus = 204);
        var response = await server.Client.SendAsync(Segment("a.txt", "hello", 0, "10"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("bytes=0-4", response.Headers.GetValues("Range").Single());
        Assert.Equal(HttpStatusCode.Created, (await server.Client.SendAsync(Segment("a.txt", "world", 5, "10"))).StatusCode);
        Assert.Equal("helloworld", await server.Client.GetStringAsync("a.txt"));
    }

    [Fact]
    public async Task Stale_Uploads_Expire_And_Their_Space_Is_Reclaimed()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var store = new InMemoryStore(clock);
        await using var server = await DavTestServer.StartAsync(
            store,
            configure: o => o.UploadExpiration = TimeSpan.FromHours(1),
            services: s => s.AddSingleton<TimeProvider>(clock));
        Assert.Equal((HttpStatusCode)308, (await server.Client.SendAsync(Segment("stale.bin", "12345", 0, "100"))).StatusCode);

        // Seen from before any expiry, so that what the store still keeps shows, expired or not.
        Assert.Single(await store.ListAsync(DavPath.Root, DateTimeOffset.MinValue, CancellationToken.None));

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.MultiStatus, (await server.Client.SendAsync("REPORT", "stale.bin", "<i:upload-progress xmlns:i=\"ithit\"/>")).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync("REPORT", "stale.bin", "<i:upload-progress xmlns:i=\"ithit\"/>")).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await server.Client.SendAsync(Segment("stale.bin", "67890", 5, "100"))).StatusCode);

        var janitor = server.Services.GetServices<IHostedService>().OfType<UploadJanitor>().Single();
        Assert.Equal(1, await janitor.SweepAsync(CancellationToken.None));
        Assert.Empty(await store.ListAsync(DavPath.Root, DateTimeOffset.MinValue, CancellationToken.None));
    }
}
