using System.Net;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance.Http;

// Modification times set by clients: X-OC-Mtime on PUT (rclone's ownCloud dialect), PROPPATCH of DAV:getlastmodified
// (lftp) and DAV:lastmodified (rclone). A store whose items cannot take a time says so: no "accepted", 403.
public abstract partial class HttpConformanceTests
{
    // 2001-09-09T01:46:40Z
    private const long OldTime = 1_000_000_000;

    private async Task<bool> TakesTimesAsync()
    {
        await Client.PutAsync("probe.txt", "p");
        var settable = await Store.GetAsync("probe.txt") is IModificationTime;
        await Client.SendAsync("DELETE", "probe.txt");
        return settable;
    }

    [Fact]
    public async Task Put_With_X_OC_Mtime_Sets_The_Time_Shown_By_Get_And_Propfind_And_Answers_Accepted()
    {
        var settable = await TakesTimesAsync();
        foreach (var (path, status) in new[] { ("new.txt", HttpStatusCode.Created), ("new.txt", HttpStatusCode.NoContent) })
        {
            var put = await Client.PutAsync(path, "hello"u8.ToArray(), ("X-OC-Mtime", OldTime.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(status, put.StatusCode);
            var expected = DateTimeOffset.FromUnixTimeSeconds(OldTime);
            if (!settable)
            {
                Assert.False(put.Headers.Contains("X-OC-MTime"));
                continue;
            }

            Assert.Equal("accepted", Assert.Single(put.Headers.GetValues("X-OC-MTime")));
            Assert.Equal(expected, put.Content.Headers.LastModified);
            var get = await Client.GetAsync(path);
            Assert.Equal(expected, get.Content.Headers.LastModified);
            Assert.Equal(put.Headers.ETag, get.Headers.ETag);
            var listing = await Dav.MultistatusAsync(await Client.PropfindAsync(path, "0"));
            Assert.Equal("Sun, 09 Sep 2001 01:46:40 GMT", Dav.Property(listing, Href(path), D + "getlastmodified")!.Value.Property.Value);
        }
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("12e3")]
    [InlineData("99999999999999999999")]
    public async Task Put_With_An_X_OC_Mtime_That_Is_No_Unix_Time_Gets_400_And_Stores_Nothing(string value)
    {
        await Client.PutAsync("kept.txt", "old");
        foreach (var path in new[] { "kept.txt", "absent.txt" })
        {
            var put = await Client.PutAsync(path, "new"u8.ToArray(), ("X-OC-Mtime", value));
            Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        }

        Assert.Equal("old", await Client.GetStringAsync("kept.txt"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("absent.txt")).StatusCode);
    }

    [Theory]
    [InlineData("<D:getlastmodified>Sun, 09 Sep 2001 01:46:40 GMT</D:getlastmodified>", "getlastmodified")]
    [InlineData("<D:lastmodified>1000000000</D:lastmodified>", "lastmodified")]
    public async Task Proppatch_Of_A_Last_Modified_Time_Sets_The_Real_Time_Without_Storing_A_Property(string set, string name)
    {
        var settable = await TakesTimesAsync();
        await Client.PutAsync("f.txt", "x");
        var before = (await Client.GetAsync("f.txt")).Content.Headers.LastModified;
        var response = await Client.SendAsync("PROPPATCH", "f.txt", Dav.Xml($"<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>{set}</D:prop></D:set></D:propertyupdate>"));
        var answer = await Dav.MultistatusAsync(response);
        var status = Dav.Property(answer, Href("f.txt"), D + name)!.Value.Status;
        var modified = (await Client.GetAsync("f.txt")).Content.Headers.LastModified;
        if (!settable)
        {
            Assert.Contains("403", status, StringComparison.Ordinal);
            Assert.Equal(before, modified);
            return;
        }

        Assert.Contains("200", status, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(OldTime), modified);

        // The time is the item's own, not a dead property beside it.
        var all = await Dav.MultistatusAsync(await Client.PropfindAsync("f.txt", "0", Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:propname/></D:propfind>")));
        Assert.DoesNotContain(all.Descendants(D + "prop").Elements(), e => e.Name == D + "lastmodified");
        Assert.Single(all.Descendants(D + "prop").Elements(), e => e.Name == D + "getlastmodified");
    }

    [Theory]
    [InlineData("<D:set><D:prop><D:getlastmodified>last tuesday</D:getlastmodified><Z:other xmlns:Z=\"urn:z\">v</Z:other></D:prop></D:set>", "getlastmodified", "409")]
    [InlineData("<D:set><D:prop><D:lastmodified>soon</D:lastmodified><Z:other xmlns:Z=\"urn:z\">v</Z:other></D:prop></D:set>", "lastmodified", "409")]
    [InlineData("<D:remove><D:prop><D:getlastmodified/></D:prop></D:remove><D:set><D:prop><Z:other xmlns:Z=\"urn:z\">v</Z:other></D:prop></D:set>", "getlastmodified", "403")]
    public async Task Proppatch_Of_A_Bad_Or_Removed_Time_Fails_And_Changes_Nothing(string body, string name, string expected)
    {
        var settable = await TakesTimesAsync();
        await Client.PutAsync("f.txt", "x");
        var before = (await Client.GetAsync("f.txt")).Content.Headers.LastModified;
        var answer = await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", "f.txt", Dav.Xml($"<D:propertyupdate xmlns:D=\"DAV:\">{body}</D:propertyupdate>")));
        Assert.Contains(settable ? expected : "403", Dav.Property(answer, Href("f.txt"), D + name)!.Value.Status, StringComparison.Ordinal);
        Assert.Contains("424", Dav.Property(answer, Href("f.txt"), XName.Get("other", "urn:z"))!.Value.Status, StringComparison.Ordinal);

        Assert.Equal(before, (await Client.GetAsync("f.txt")).Content.Headers.LastModified);
        var other = await Dav.MultistatusAsync(await Client.PropfindAsync("f.txt", "0", Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:prop><Z:other xmlns:Z=\"urn:z\"/></D:prop></D:propfind>")));
        Assert.Contains("404", Dav.Property(other, Href("f.txt"), XName.Get("other", "urn:z"))!.Value.Status, StringComparison.Ordinal);
    }
}
