using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    private async Task<byte[]> PutRandomAsync(string url, int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        (await Client.PutAsync(url, bytes)).EnsureSuccessStatusCode();
        return bytes;
    }

    private async Task<HttpResponseMessage> GetRangeAsync(string url, string range, params (string Name, string Value)[] headers)
    {
        var request = Dav.Request("GET", url, null, headers);
        request.Headers.TryAddWithoutValidation("Range", range);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Get_Advertises_Ranges_And_Validators()
    {
        await PutRandomAsync("r.bin", 10);
        var get = await Client.GetAsync("r.bin");
        Assert.Equal("bytes", get.Headers.AcceptRanges.Single());
        Assert.NotNull(get.Headers.ETag);
        Assert.NotNull(get.Content.Headers.LastModified);
        var head = await Client.SendAsync("HEAD", "r.bin");
        Assert.Equal("bytes", head.Headers.AcceptRanges.Single());
    }

    [Theory]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=1000-", 1000, 99000)]
    [InlineData("bytes=-4096", 95904, 4096)]
    [InlineData("bytes=99999-99999", 99999, 1)]
    [InlineData("bytes=50000-999999999", 50000, 50000)]
    public async Task A_Single_Range_Returns_206_With_Exactly_Those_Bytes(string range, int offset, int length)
    {
        var bytes = await PutRandomAsync("big.bin", 100_000);
        var get = await GetRangeAsync("big.bin", range);
        Assert.Equal(HttpStatusCode.PartialContent, get.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(offset, offset + length - 1, bytes.Length), get.Content.Headers.ContentRange);
        Assert.Equal(length, get.Content.Headers.ContentLength);
        Assert.Equal(bytes.AsSpan(offset, length).ToArray(), await get.Content.ReadAsByteArrayAsync());
        Assert.NotNull(get.Headers.ETag);
    }

    [Fact]
    public async Task Several_Ranges_Return_A_Multipart_Byteranges_Body_With_Exact_Parts()
    {
        var bytes = await PutRandomAsync("multi.txt", 50_000);
        var get = await GetRangeAsync("multi.txt", "bytes=0-9,20000-20099,-50");
        Assert.Equal(HttpStatusCode.PartialContent, get.StatusCode);
        Assert.Equal("multipart/byteranges", get.Content.Headers.ContentType?.MediaType);
        var boundary = get.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!;
        var body = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, get.Content.Headers.ContentLength);

        var parts = MultipartParts(body, boundary);
        Assert.Equal(3, parts.Count);
        var expected = new[] { (0, 10), (20000, 100), (49950, 50) };
        for (var i = 0; i < 3; i++)
        {
            var (offset, length) = expected[i];
            Assert.Equal("text/plain", parts[i].Headers["Content-Type"]);
            Assert.Equal($"bytes {offset}-{offset + length - 1}/50000", parts[i].Headers["Content-Range"]);
            Assert.Equal(bytes.AsSpan(offset, length).ToArray(), parts[i].Body);
        }
    }

    [Fact]
    public async Task An_Unsatisfiable_Range_Returns_416_With_The_Length()
    {
        await PutRandomAsync("small.bin", 100);
        var get = await GetRangeAsync("small.bin", "bytes=100-200");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, get.StatusCode);
        Assert.Equal("bytes */100", get.Content.Headers.GetValues("Content-Range").Single());
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("items=0-5")]
    [InlineData("bytes=9-2")]
    public async Task A_Malformed_Or_Foreign_Range_Returns_200_With_Everything(string range)
    {
        var bytes = await PutRandomAsync("whole.bin", 1000);
        var get = await GetRangeAsync("whole.bin", range);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Overlapping_Ranges_Adding_Up_To_More_Than_The_File_Return_200()
    {
        var bytes = await PutRandomAsync("attack.bin", 1000);
        var range = "bytes=0-," + string.Join(",", Enumerable.Range(1, 100).Select(i => $"{i}-"));
        var get = await GetRangeAsync("attack.bin", range);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task IfRange_With_The_Current_ETag_Returns_The_Range_And_With_An_Old_One_The_New_File_Whole()
    {
        await PutRandomAsync("changing.bin", 5000);
        var oldTag = (await Client.SendAsync("HEAD", "changing.bin")).Headers.ETag!.Tag;
        var current = await GetRangeAsync("changing.bin", "bytes=100-199", ("If-Range", oldTag));
        Assert.Equal(HttpStatusCode.PartialContent, current.StatusCode);

        var replaced = await PutRandomAsync("changing.bin", 5000);
        var resumed = await GetRangeAsync("changing.bin", "bytes=100-", ("If-Range", oldTag));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(replaced, await resumed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Range_Is_Ignored_On_Head()
    {
        await PutRandomAsync("h.bin", 100);
        var head = Dav.Request("HEAD", "h.bin");
        head.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
        var response = await Client.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Content_Disposition_Is_Inline_Unless_A_Download_Is_Asked_For()
    {
        await Client.PutAsync("r%C3%A9sum%C3%A9 1.pdf", "pdf");
        var inline = await Client.GetAsync("r%C3%A9sum%C3%A9 1.pdf");
        Assert.Equal("inline", inline.Content.Headers.ContentDisposition?.DispositionType);
        var download = await Client.GetAsync("r%C3%A9sum%C3%A9 1.pdf?download");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("résumé 1.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("pdf", await download.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Conditional_Get_Returns_304_With_Validators()
    {
        await Client.PutAsync("c.txt", "cached");
        var first = await Client.GetAsync("c.txt");
        var byTag = await Client.SendAsync("GET", "c.txt", null, ("If-None-Match", first.Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.NotModified, byTag.StatusCode);
        Assert.Equal(first.Headers.ETag, byTag.Headers.ETag);
        Assert.Empty(await byTag.Content.ReadAsByteArrayAsync());

        var byDate = await Client.SendAsync("GET", "c.txt", null, ("If-Modified-Since", first.Content.Headers.LastModified!.Value.ToString("r")));
        Assert.Equal(HttpStatusCode.NotModified, byDate.StatusCode);
    }

    [Fact]
    public async Task Put_With_IfNoneMatch_Star_Creates_Only_And_IfMatch_Star_Updates_Only()
    {
        var created = await Client.PutAsync("cond.txt", Encoding.UTF8.GetBytes("one"), ("If-None-Match", "*"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var again = await Client.PutAsync("cond.txt", Encoding.UTF8.GetBytes("two"), ("If-None-Match", "*"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, again.StatusCode);
        Assert.Equal("one", await Client.GetStringAsync("cond.txt"));

        var missing = await Client.PutAsync("absent.txt", Encoding.UTF8.GetBytes("x"), ("If-Match", "*"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("absent.txt")).StatusCode);
        var update = await Client.PutAsync("cond.txt", Encoding.UTF8.GetBytes("three"), ("If-Match", "*"));
        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
    }

    [Fact]
    public async Task A_Stale_IfMatch_Returns_412_And_Changes_Nothing()
    {
        var first = await Client.PutAsync("lost-update.txt", "v1");
        await Client.PutAsync("lost-update.txt", "v2");
        var put = await Client.PutAsync("lost-update.txt", Encoding.UTF8.GetBytes("v3"), ("If-Match", first.Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, put.StatusCode);
        var delete = await Client.SendAsync("DELETE", "lost-update.txt", null, ("If-Match", first.Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, delete.StatusCode);
        Assert.Equal("v2", await Client.GetStringAsync("lost-update.txt"));
    }

    [Fact]
    public async Task Get_Of_A_Missing_File_With_IfMatch_Is_Still_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync("GET", "nope.txt", null, ("If-Match", "\"x\""))).StatusCode);
    }

    private static List<(Dictionary<string, string> Headers, byte[] Body)> MultipartParts(byte[] body, string boundary)
    {
        var parts = new List<(Dictionary<string, string>, byte[])>();
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var position = IndexOf(body, delimiter, 0);
        while (position >= 0)
        {
            var afterDelimiter = position + delimiter.Length;
            if (body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-')
            {
                break;
            }

            var headersEnd = IndexOf(body, "\r\n\r\n"u8.ToArray(), afterDelimiter);
            var headers = Encoding.ASCII.GetString(body, afterDelimiter + 2, headersEnd - afterDelimiter - 2)
                .Split("\r\n").Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
            var next = IndexOf(body, delimiter, headersEnd + 4);
            parts.Add((headers, body[(headersEnd + 4)..(next - 2)]));
            position = next;
        }

        return parts;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start) =>
        haystack.AsSpan(start).IndexOf(needle) is var i and >= 0 ? start + i : -1;
}
