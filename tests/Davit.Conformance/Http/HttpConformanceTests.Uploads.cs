using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    private static readonly XNamespace ITHit = "ithit";

    private const string ProgressReport = "<?xml version=\"1.0\" encoding=\"utf-8\"?><i:upload-progress xmlns:i=\"ithit\"/>";

    protected async Task<HttpResponseMessage> PutSegmentAsync(string url, byte[] whole, long first, long last, string total, params (string Name, string Value)[] headers)
    {
        var request = Dav.Request("PUT", url, null, headers);
        request.Content = new ByteArrayContent(whole, (int)first, (int)(last - first + 1));
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {first}-{last}/{total}");
        return await Client.SendAsync(request);
    }

    /// <summary>The upload-progress REPORT, checked against the wire format of the seed's client: a 207 whose
    /// responses each hold bytes-uploaded, last-chunk-saved and total-content-length in one 200 propstat.</summary>
    protected async Task<Dictionary<string, (long Bytes, long Total, DateTimeOffset Saved)>> ProgressAsync(string url)
    {
        var ms = await Dav.MultistatusAsync(await Client.SendAsync("REPORT", url, ProgressReport));
        var result = new Dictionary<string, (long, long, DateTimeOffset)>();
        foreach (var response in ms.Root!.Elements(D + "response"))
        {
            var propstat = Assert.Single(response.Elements(D + "propstat"));
            Assert.Equal("HTTP/1.1 200 OK", propstat.Element(D + "status")!.Value);
            var prop = propstat.Element(D + "prop")!;
            Assert.Equal(3, prop.Elements().Count());
            var bytes = long.Parse(prop.Element(ITHit + "bytes-uploaded")!.Value, CultureInfo.InvariantCulture);
            var total = long.Parse(prop.Element(ITHit + "total-content-length")!.Value, CultureInfo.InvariantCulture);
            var saved = DateTimeOffset.ParseExact(prop.Element(ITHit + "last-chunk-saved")!.Value, "r", CultureInfo.InvariantCulture);
            result[response.Element(D + "href")!.Value] = (bytes, total, saved);
        }

        return result;
    }

    [Fact]
    public async Task Options_Advertises_Resumable_Upload()
    {
        var options = await Client.SendAsync("OPTIONS", "");
        Assert.Contains("resumable-upload", string.Join(",", options.Headers.GetValues("DAV")).Split(',', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Segments_In_Order_Answer_308_With_Range_Then_201_And_The_File_Is_Whole()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var first = await PutSegmentAsync("seg.bin", bytes, 0, 99_999, "300000");
        Assert.Equal((HttpStatusCode)308, first.StatusCode);
        Assert.Equal("bytes=0-99999", first.Headers.GetValues("Range").Single());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("seg.bin")).StatusCode);
        var partway = (await ProgressAsync("seg.bin"))[Href("seg.bin")];
        Assert.Equal((100_000L, 300_000L), (partway.Bytes, partway.Total));

        Assert.Equal((HttpStatusCode)308, (await PutSegmentAsync("seg.bin", bytes, 100_000, 199_999, "300000")).StatusCode);
        var last = await PutSegmentAsync("seg.bin", bytes, 200_000, 299_999, "300000");
        Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        Assert.NotNull(last.Headers.ETag);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("seg.bin"));
        var done = (await ProgressAsync("seg.bin"))[Href("seg.bin")];
        Assert.Equal((300_000L, 300_000L), (done.Bytes, done.Total));
    }

    [Fact]
    public async Task A_Segment_Past_The_Saved_Bytes_Is_412_And_Changes_Nothing()
    {
        var bytes = RandomNumberGenerator.GetBytes(3000);
        await PutSegmentAsync("gap.bin", bytes, 0, 999, "3000");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutSegmentAsync("gap.bin", bytes, 2000, 2999, "3000")).StatusCode);
        Assert.Equal(1000, (await ProgressAsync("gap.bin"))[Href("gap.bin")].Bytes);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutSegmentAsync("nothing-yet.bin", bytes, 10, 999, "3000")).StatusCode);
    }

    [Fact]
    public async Task An_Overlapping_Segment_Rewrites_The_Overlap()
    {
        var bytes = RandomNumberGenerator.GetBytes(3000);
        var garbage = bytes.ToArray();
        Array.Fill(garbage, (byte)0xEE, 500, 1000);
        await PutSegmentAsync("overlap.bin", garbage, 0, 1499, "3000");
        Assert.Equal((HttpStatusCode)308, (await PutSegmentAsync("overlap.bin", bytes, 500, 1999, "3000")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutSegmentAsync("overlap.bin", bytes, 2000, 2999, "3000")).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("overlap.bin"));
    }

    [Fact]
    public async Task A_Segment_At_0_Restarts_The_Upload()
    {
        var old = RandomNumberGenerator.GetBytes(2000);
        var fresh = RandomNumberGenerator.GetBytes(1500);
        await PutSegmentAsync("restart.bin", old, 0, 1499, "2000");
        Assert.Equal((HttpStatusCode)308, (await PutSegmentAsync("restart.bin", fresh, 0, 499, "1500")).StatusCode);
        Assert.Equal(500, (await ProgressAsync("restart.bin"))[Href("restart.bin")].Bytes);
        Assert.Equal(HttpStatusCode.Created, (await PutSegmentAsync("restart.bin", fresh, 500, 1499, "1500")).StatusCode);
        Assert.Equal(fresh, await Client.GetByteArrayAsync("restart.bin"));
    }

    [Fact]
    public async Task An_Unknown_Total_Stays_Incomplete_Until_A_Segment_Names_It()
    {
        var bytes = RandomNumberGenerator.GetBytes(2500);
        Assert.Equal((HttpStatusCode)308, (await PutSegmentAsync("open.bin", bytes, 0, 999, "*")).StatusCode);
        Assert.Equal(-1, (await ProgressAsync("open.bin"))[Href("open.bin")].Total);
        Assert.Equal((HttpStatusCode)308, (await PutSegmentAsync("open.bin", bytes, 1000, 1999, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutSegmentAsync("open.bin", bytes, 2000, 2499, "2500")).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("open.bin"));
    }

    [Fact]
    public async Task A_Body_Whose_Length_Does_Not_Match_The_Range_Is_400()
    {
        var bytes = RandomNumberGenerator.GetBytes(2000);
        await PutSegmentAsync("mismatch.bin", bytes, 0, 999, "2000");

        // Content-Length that disagrees with the range: refused before reading.
        var declared = Dav.Request("PUT", "mismatch.bin");
        declared.Content = new ByteArrayContent(bytes, 1000, 500);
        declared.Content.Headers.TryAddWithoutValidation("Content-Range", "bytes 1000-1999/2000");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(declared)).StatusCode);

        // A chunked body that ends short: refused, and none of it counts.
        var chunked = Dav.Request("PUT", "mismatch.bin");
        chunked.Content = new StreamContent(new MemoryStream(bytes, 1000, 400));
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Content.Headers.TryAddWithoutValidation("Content-Range", "bytes 1000-1999/2000");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(chunked)).StatusCode);
        Assert.Equal(1000, (await ProgressAsync("mismatch.bin"))[Href("mismatch.bin")].Bytes);

        Assert.Equal(HttpStatusCode.Created, (await PutSegmentAsync("mismatch.bin", bytes, 1000, 1999, "2000")).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("mismatch.bin"));
    }

    [Theory]
    [InlineData("bytes 5-2/10")]
    [InlineData("bytes 0-9/5")]
    [InlineData("bytes */10")]
    [InlineData("items 0-1/2")]
    [InlineData("garbage")]
    public async Task A_Malformed_Content_Range_Is_400(string header)
    {
        var request = Dav.Request("PUT", "bad-range.bin");
        request.Content = new ByteArrayContent(new byte[2]);
        request.Content.Headers.TryAddWithoutValidation("Content-Range", header);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("bad-range.bin")).StatusCode);
    }

    [Fact]
    public async Task While_An_Upload_Replaces_A_File_Readers_See_The_Previous_Content()
    {
        await Client.PutAsync("doc.txt", "previous");
        var next = RandomNumberGenerator.GetBytes(4000);
        Assert.Equal((HttpStatusCode)308, (await PutSegmentAsync("doc.txt", next, 0, 1999, "4000")).StatusCode);
        Assert.Equal("previous", await Client.GetStringAsync("doc.txt"));
        Assert.Equal(HttpStatusCode.NoContent, (await PutSegmentAsync("doc.txt", next, 2000, 3999, "4000")).StatusCode);
        Assert.Equal(next, await Client.GetByteArrayAsync("doc.txt"));
    }

    [Fact]
    public async Task A_Range_Put_Into_A_Complete_File_Updates_That_Range_Atomically()
    {
        await Client.PutAsync("patch.txt", "0123456789abcdefghij");
        var update = await PutRangeTextAsync("patch.txt", "XYZ", 5, "20");
        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        Assert.Equal("01234XYZ89abcdefghij", await Client.GetStringAsync("patch.txt"));
        Assert.Equal(HttpStatusCode.NoContent, (await PutRangeTextAsync("patch.txt", "+tail", 20, "25")).StatusCode);
        Assert.Equal("01234XYZ89abcdefghij+tail", await Client.GetStringAsync("patch.txt"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutRangeTextAsync("patch.txt", "gap", 30, "*")).StatusCode);
        Assert.Equal("01234XYZ89abcdefghij+tail", await Client.GetStringAsync("patch.txt"));
    }

    private async Task<HttpResponseMessage> PutRangeTextAsync(string url, string text, long first, string total)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var request = Dav.Request("PUT", url);
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {first}-{first + bytes.Length - 1}/{total}");
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Report_On_A_Folder_Lists_Every_Upload_In_Progress_Below_It()
    {
        await Client.SendAsync("MKCOL", "up/");
        await Client.SendAsync("MKCOL", "up/deep/");
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await PutSegmentAsync("up/a.bin", bytes, 0, 99, "1000");
        await PutSegmentAsync("up/deep/b.bin", bytes, 0, 199, "1000");
        await PutSegmentAsync("elsewhere.bin", bytes, 0, 9, "1000");
        await Client.PutAsync("up/complete.txt", "done");

        var progress = await ProgressAsync("up/");
        Assert.Equal([Href("up/a.bin"), Href("up/deep/b.bin")], progress.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(100, progress[Href("up/a.bin")].Bytes);
        Assert.Equal(200, progress[Href("up/deep/b.bin")].Bytes);
        Assert.True(progress[Href("up/a.bin")].Saved > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Report_Without_File_Or_Upload_Is_404_And_An_Unknown_Report_Is_403()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync("REPORT", "ghost.bin", ProgressReport)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync("REPORT", "", "<D:version-tree xmlns:D=\"DAV:\"/>")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("REPORT", "")).StatusCode);
    }

    [Fact]
    public async Task CancelUpload_Discards_The_Upload_And_Keeps_The_Previous_Content()
    {
        await Client.PutAsync("keep.bin", "previous");
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await PutSegmentAsync("keep.bin", bytes, 0, 499, "1000");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("CANCELUPLOAD", "keep.bin")).StatusCode);
        Assert.Equal("previous", await Client.GetStringAsync("keep.bin"));
        Assert.Equal(8, (await ProgressAsync("keep.bin"))[Href("keep.bin")].Bytes);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutSegmentAsync("keep.bin", bytes, 500, 999, "1000")).StatusCode);

        await PutSegmentAsync("new.bin", bytes, 0, 499, "1000");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("CANCELUPLOAD", "new.bin")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync("REPORT", "new.bin", ProgressReport)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync("CANCELUPLOAD", "new.bin")).StatusCode);
    }

    [Fact]
    public async Task Deleting_A_Folder_Discards_The_Uploads_In_Progress_Below_It()
    {
        await Client.SendAsync("MKCOL", "gone/");
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await PutSegmentAsync("gone/part.bin", bytes, 0, 499, "1000");
        await PutSegmentAsync("kept.bin", bytes, 0, 499, "1000");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("gone/")).StatusCode);

        await Client.SendAsync("MKCOL", "gone/");
        Assert.Empty(await ProgressAsync("gone/"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutSegmentAsync("gone/part.bin", bytes, 500, 999, "1000")).StatusCode);
        Assert.Equal(500, (await ProgressAsync("kept.bin"))[Href("kept.bin")].Bytes);
    }

    [Fact]
    public async Task Every_Segment_Needs_The_Lock_Token()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await Client.PutAsync("locked.bin", "x");
        var token = await LockAsync("locked.bin");
        await AssertLockedAsync(await PutSegmentAsync("locked.bin", bytes, 0, 499, "1000"), Href("locked.bin"));
        Assert.Equal((HttpStatusCode)308, (await PutSegmentAsync("locked.bin", bytes, 0, 499, "1000", ("If", $"(<{token}>)"))).StatusCode);
        await AssertLockedAsync(await PutSegmentAsync("locked.bin", bytes, 500, 999, "1000"), Href("locked.bin"));
        await AssertLockedAsync(await Client.SendAsync("CANCELUPLOAD", "locked.bin"), Href("locked.bin"));
        Assert.Equal(HttpStatusCode.NoContent, (await PutSegmentAsync("locked.bin", bytes, 500, 999, "1000", ("If", $"(<{token}>)"))).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("locked.bin"));
    }

    [Fact]
    public async Task A_Dropped_Connection_Keeps_What_Arrived_And_The_Upload_Resumes_From_There()
    {
        var bytes = RandomNumberGenerator.GetBytes(2_000_000);
        var head = $"PUT {Server.Prefix}/dropped.bin HTTP/1.1\r\nContent-Length: {bytes.Length}\r\nContent-Range: bytes 0-{bytes.Length - 1}/{bytes.Length}";
        await DropMidwayAsync(head, "dropped.bin", bytes[..700_000]);
        await ResumeAsync("dropped.bin", bytes);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await Client.GetByteArrayAsync("dropped.bin")));
    }

    [Fact]
    public async Task An_Interrupted_Plain_Put_Can_Be_Resumed_With_Content_Range()
    {
        var bytes = RandomNumberGenerator.GetBytes(3_000_000);
        await DropMidwayAsync($"PUT {Server.Prefix}/plain.bin HTTP/1.1\r\nContent-Length: {bytes.Length}", "plain.bin", bytes[..1_500_000]);
        Assert.Equal(3_000_000, (await ProgressAsync("plain.bin"))[Href("plain.bin")].Total);
        await ResumeAsync("plain.bin", bytes);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("plain.bin"));
    }

    /// <summary>Sends a request with part of its body, waits until the server reports bytes of it saved, then drops
    /// the connection with a reset, the way a broken network does.</summary>
    private async Task DropMidwayAsync(string head, string url, byte[] partialBody)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", Server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\nHost: 127.0.0.1\r\n\r\n"));
        await stream.WriteAsync(partialBody);
        await stream.FlushAsync();
        for (var i = 0; i < 100; i++)
        {
            var report = await Client.SendAsync("REPORT", url, ProgressReport);
            if (report.StatusCode == HttpStatusCode.MultiStatus && (await ProgressAsync(url))[Href(url)].Bytes > 0)
            {
                break;
            }

            await Task.Delay(50);
        }

        client.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        client.Close();
    }

    /// <summary>Resumes from what the progress REPORT says is saved, as the seed's client does; retries while the
    /// server is still winding up the dropped request (409), and checks at least one byte had been kept.</summary>
    private async Task ResumeAsync(string url, byte[] bytes)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var saved = (await ProgressAsync(url))[Href(url)].Bytes;
            Assert.InRange(saved, 1, bytes.Length - 1);
            var resumed = await PutSegmentAsync(url, bytes, saved, bytes.Length - 1, bytes.Length.ToString(CultureInfo.InvariantCulture));
            if (resumed.StatusCode == HttpStatusCode.Created)
            {
                return;
            }

            Assert.True(resumed.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed, $"resume answered {(int)resumed.StatusCode}");
            await Task.Delay(50);
        }

        Assert.Fail("The upload could not be resumed.");
    }

    [Fact]
    public async Task Two_Writers_To_One_Url_Never_Interleave_The_Second_Gets_409()
    {
        var bytes = RandomNumberGenerator.GetBytes(1_000_000);
        using var slow = new System.Net.Sockets.TcpClient();
        await slow.ConnectAsync("127.0.0.1", Server.Port);
        var stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"PUT {Server.Prefix}/race.bin HTTP/1.1\r\nHost: x\r\nContent-Length: {bytes.Length}\r\nContent-Range: bytes 0-{bytes.Length - 1}/{bytes.Length}\r\n\r\n"));
        await stream.WriteAsync(bytes.AsMemory(0, 100_000));
        await stream.FlushAsync();

        // Wait until the first writer is saving bytes, then try a second one.
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100);
            if ((await Client.SendAsync("REPORT", "race.bin", ProgressReport)).StatusCode == HttpStatusCode.MultiStatus)
            {
                break;
            }
        }

        var second = await PutSegmentAsync("race.bin", RandomNumberGenerator.GetBytes(1_000_000), 0, 999_999, "1000000");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        await stream.WriteAsync(bytes.AsMemory(100_000));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("HTTP/1.1 201", await reader.ReadLineAsync());
        Assert.Equal(bytes, await Client.GetByteArrayAsync("race.bin"));
    }

    [Fact]
    public async Task Finder_Chunked_Put_With_X_Expected_Entity_Length_Stores_The_Whole_File()
    {
        var bytes = RandomNumberGenerator.GetBytes(2_500_000);
        var request = Dav.Request("PUT", "finder.bin", null, ("X-Expected-Entity-Length", bytes.Length.ToString(CultureInfo.InvariantCulture)), ("User-Agent", "WebDAVFS/3.0.0 (03008000) Darwin/22.1.0 (x86_64)"));
        request.Content = new StreamContent(new MemoryStream(bytes));
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(request)).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("finder.bin"));
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(2_500_000)]
    public async Task Finder_Chunked_Put_That_Ends_Short_Fails_And_Leaves_No_Empty_File(int size)
    {
        await Client.PutAsync("existing.bin", "previous");
        foreach (var url in new[] { "short.bin", "existing.bin" })
        {
            var request = Dav.Request("PUT", url, null, ("X-Expected-Entity-Length", (size * 2).ToString(CultureInfo.InvariantCulture)));
            request.Content = new StreamContent(new MemoryStream(RandomNumberGenerator.GetBytes(size)));
            request.Headers.TransferEncodingChunked = true;
            Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("short.bin")).StatusCode);
        Assert.Equal("previous", await Client.GetStringAsync("existing.bin"));
    }
}
