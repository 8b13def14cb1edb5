using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Davit.Quotas;
using Davit.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Conformance.Http;

/// <summary>
/// Quotas (RFC 4331) over HTTP, against a real server, for one store: a folder /q/ with a quota of
/// <see cref="Limit"/> bytes. Every store subclasses this once. Bodies larger than <see cref="Threshold"/> are staged in
/// upload sessions, so both ways a PUT reaches the store are covered.
/// </summary>
public abstract class QuotaConformanceTests : IAsyncLifetime
{
    protected const long Limit = 1000;
    protected const long Threshold = 256;
    private const int RaceRounds = 12;
    private static readonly XNamespace D = Dav.D;
    private static readonly XName Used = D + "quota-used-bytes";
    private static readonly XName Available = D + "quota-available-bytes";

    protected DavTestServer Server { get; set; } = null!;

    protected HttpClient Client => Server.Client;

    /// <summary>A fresh, empty store for one test.</summary>
    protected abstract IDavStore CreateStore();

    public virtual async Task InitializeAsync()
    {
        Server = await StartAsync(CreateStore());
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", "q/")).StatusCode);
    }

    public virtual async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A server over <paramref name="store"/> with the quota on /q/.</summary>
    protected static Task<DavTestServer> StartAsync(IDavStore store) =>
        DavTestServer.StartAsync(
            store,
            "/",
            o => o.ResumableUploadThreshold = Threshold,
            s => s.AddSingleton<IDavQuotaProvider>(new FixedQuotas(new DavQuota(DavPath.Parse("q"), Limit))));

    [Fact]
    public async Task Put_Over_The_Quota_Returns_507_With_Quota_Not_Exceeded_And_Creates_Nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/a.bin", Bytes(800))).StatusCode);

        // One body small enough to be staged, one large enough to go through an upload session.
        foreach (var size in new[] { 201, 300 })
        {
            var refused = await Client.PutAsync("q/b.bin", Bytes(size));
            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            await AssertQuotaConditionAsync(refused);
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("q/b.bin")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/b.bin", Bytes(200))).StatusCode);
        Assert.Equal((1000L, 0L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Overwrite_Over_The_Quota_Returns_507_And_Keeps_The_Previous_Content()
    {
        var original = Bytes(700);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/f.bin", original)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/g.bin", Bytes(200))).StatusCode);

        // Replacing 700 bytes by 801 would make 1001: refused, small body (staged) and large (in a session) alike.
        foreach (var body in new[] { Bytes(801), Bytes(900) })
        {
            var refused = await Client.PutAsync("q/f.bin", body);
            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            await AssertQuotaConditionAsync(refused);
            Assert.Equal(original, await Client.GetByteArrayAsync("q/f.bin"));
        }

        Assert.Equal((900L, 100L), await QuotaAsync("q/"));

        // Exactly to the limit is allowed, and a smaller file always is, even when the folder is full.
        var exact = Bytes(800);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("q/f.bin", exact)).StatusCode);
        Assert.Equal(exact, await Client.GetByteArrayAsync("q/f.bin"));
        Assert.Equal((1000L, 0L), await QuotaAsync("q/"));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("q/f.bin", Bytes(10))).StatusCode);
        Assert.Equal((210L, 790L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Chunked_Put_Over_The_Quota_Returns_507_And_Creates_Nothing()
    {
        foreach (var size in new[] { 1001, 5000 })
        {
            var request = Dav.Request("PUT", "q/chunked.bin");
            request.Content = new StreamContent(new MemoryStream(Bytes(size)));
            request.Headers.TransferEncodingChunked = true;
            var refused = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            await AssertQuotaConditionAsync(refused);
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("q/chunked.bin")).StatusCode);
            Assert.Equal((0L, 1000L), await QuotaAsync("q/"));
        }
    }

    [Fact]
    public async Task Quota_Properties_Are_Served_By_Name_On_Folders_Under_A_Quota_Only()
    {
        Assert.Equal((0L, 1000L), await QuotaAsync("q/"));
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", "q/sub/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/sub/x.bin", Bytes(300))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/y.bin", Bytes(30))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("outside.bin", Bytes(5000))).StatusCode);

        // A folder below the quota's folder shares its figures (RFC 4331 §4: space counted against the same quota).
        Assert.Equal((330L, 670L), await QuotaAsync("q/"));
        Assert.Equal((330L, 670L), await QuotaAsync("q/sub/"));

        // Not on the root (no quota there) nor on a file: reported missing.
        foreach (var url in new[] { string.Empty, "q/y.bin" })
        {
            var multistatus = await Dav.MultistatusAsync(await Client.PropfindAsync(url, "0", QuotaPropfind));
            var href = multistatus.Root!.Element(D + "response")!.Element(D + "href")!.Value;
            Assert.Contains("404", Dav.Property(multistatus, href, Used)!.Value.Status, StringComparison.Ordinal);
            Assert.Contains("404", Dav.Property(multistatus, href, Available)!.Value.Status, StringComparison.Ordinal);
        }

        // Never in allprop (RFC 4331 §2).
        var all = await Dav.MultistatusAsync(await Client.PropfindAsync("q/", "0"));
        Assert.Null(Dav.Property(all, "/q/", Used));
        Assert.Null(Dav.Property(all, "/q/", Available));

        // Protected: PROPPATCH cannot set them.
        var patch = await Client.SendAsync("PROPPATCH", "q/", Dav.Xml("<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:quota-used-bytes>1</D:quota-used-bytes></D:prop></D:set></D:propertyupdate>"));
        var patched = await Dav.MultistatusAsync(patch);
        Assert.Contains("403", Dav.Property(patched, "/q/", Used)!.Value.Status, StringComparison.Ordinal);
        Assert.Equal((330L, 670L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Copy_And_Move_Into_The_Quota_Over_The_Limit_Return_507_And_Change_Nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", "src/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("src/a.bin", Bytes(300))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("src/b.bin", Bytes(300))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/old.bin", Bytes(500))).StatusCode);

        var copy = await Client.SendAsync("COPY", "src/", null, ("Destination", Server.Url("q/copy/").AbsoluteUri));
        Assert.Equal(HttpStatusCode.InsufficientStorage, copy.StatusCode);
        await AssertQuotaConditionAsync(copy);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PropfindAsync("q/copy/", "0")).StatusCode);

        var move = await Client.SendAsync("MOVE", "src/", null, ("Destination", Server.Url("q/moved/").AbsoluteUri));
        Assert.Equal(HttpStatusCode.InsufficientStorage, move.StatusCode);
        await AssertQuotaConditionAsync(move);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("src/a.bin")).StatusCode);

        // Replacing the 500-byte file by a 300-byte one fits; the replaced bytes no longer count.
        var over = await Client.SendAsync("COPY", "src/a.bin", null, ("Destination", Server.Url("q/old.bin").AbsoluteUri));
        Assert.Equal(HttpStatusCode.NoContent, over.StatusCode);
        Assert.Equal((300L, 700L), await QuotaAsync("q/"));

        // A move inside the quota's folder brings nothing in.
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/more.bin", Bytes(700))).StatusCode);
        var inside = await Client.SendAsync("MOVE", "q/more.bin", null, ("Destination", Server.Url("q/renamed.bin").AbsoluteUri));
        Assert.Equal(HttpStatusCode.Created, inside.StatusCode);
        Assert.Equal((1000L, 0L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Form_Post_Over_The_Quota_Returns_507_And_Stores_No_Part()
    {
        using var tooMuch = new MultipartFormDataContent
        {
            { new ByteArrayContent(Bytes(600)), "file", "one.bin" },
            { new ByteArrayContent(Bytes(600)), "file", "two.bin" },
        };
        var refused = await Client.PostAsync("q/", tooMuch);
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        await AssertQuotaConditionAsync(refused);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("q/one.bin")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("q/two.bin")).StatusCode);
        Assert.Equal((0L, 1000L), await QuotaAsync("q/"));

        using var fits = new MultipartFormDataContent
        {
            { new ByteArrayContent(Bytes(500)), "file", "one.bin" },
            { new ByteArrayContent(Bytes(500)), "file", "two.bin" },
        };
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("q/", fits)).StatusCode);
        Assert.Equal((1000L, 0L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Tus_Upload_Reserves_Its_Length_And_Is_Refused_With_507_When_It_Cannot_Fit()
    {
        var tooLong = await TusCreateAsync("big.bin", 1001);
        Assert.Equal(HttpStatusCode.InsufficientStorage, tooLong.StatusCode);
        await AssertQuotaConditionAsync(tooLong);

        var created = await TusCreateAsync("up.bin", 600);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var upload = created.Headers.Location!.AbsoluteUri;

        // The upload in progress counts: a PUT that fits beside the files alone is refused, one that fits beside it is not.
        Assert.Equal((600L, 400L), await QuotaAsync("q/"));
        Assert.Equal(HttpStatusCode.InsufficientStorage, (await Client.PutAsync("q/other.bin", Bytes(401))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/other.bin", Bytes(400))).StatusCode);

        var bytes = Bytes(600);
        var patch = await TusPatchAsync(upload, 0, bytes);
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("q/up.bin"));
        Assert.Equal((1000L, 0L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Tus_Upload_Of_Deferred_Length_Gets_507_For_A_Segment_That_Does_Not_Fit()
    {
        var created = await TusCreateAsync("deferred.bin", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var upload = created.Headers.Location!.AbsoluteUri;
        Assert.Equal(HttpStatusCode.NoContent, (await TusPatchAsync(upload, 0, Bytes(700))).StatusCode);
        Assert.Equal((700L, 300L), await QuotaAsync("q/"));

        var refused = await TusPatchAsync(upload, 700, Bytes(301));
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        await AssertQuotaConditionAsync(refused);
        var head = await TusAsync("HEAD", upload);
        Assert.Equal("700", head.Headers.GetValues("Upload-Offset").Single());
    }

    [Fact]
    public async Task Ietf_Upload_Reserves_Its_Length_And_Is_Refused_With_507_When_It_Cannot_Fit()
    {
        const string Interop = "Upload-Draft-Interop-Version: 8\r\n";
        var tooLong = await RawHttp.SendAsync(Server.Port,
            $"PUT /q/ietf.bin HTTP/1.1\r\n{Interop}Upload-Complete: ?0\r\nUpload-Length: 1001\r\nContent-Length: 0");
        Assert.Equal(507, tooLong.Status);
        Assert.Equal((0L, 1000L), await QuotaAsync("q/"));

        var created = await RawHttp.SendAsync(Server.Port,
            $"PUT /q/ietf.bin HTTP/1.1\r\n{Interop}Upload-Complete: ?0\r\nUpload-Length: 600\r\nContent-Length: 0");
        Assert.Equal(201, created.Status);
        Assert.Equal((600L, 400L), await QuotaAsync("q/"));
        Assert.Equal(HttpStatusCode.InsufficientStorage, (await Client.PutAsync("q/other.bin", Bytes(401))).StatusCode);

        var bytes = Bytes(600);
        var target = new Uri(created["Location"]!).PathAndQuery;
        var last = await RawHttp.SendAsync(Server.Port,
            $"PATCH {target} HTTP/1.1\r\n{Interop}Upload-Complete: ?1\r\nUpload-Offset: 0\r\nContent-Type: application/partial-upload\r\nContent-Length: 600",
            bytes);
        Assert.Equal(201, last.Status);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("q/ietf.bin"));
        Assert.Equal((600L, 400L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Segmented_Put_Over_The_Quota_Returns_507_And_Keeps_Nothing()
    {
        var segment = Dav.Request("PUT", "q/seg.bin");
        segment.Content = new ByteArrayContent(Bytes(100));
        segment.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, 99, 2000);
        var refused = await Client.SendAsync(segment);
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        await AssertQuotaConditionAsync(refused);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("q/seg.bin")).StatusCode);
        Assert.Equal((0L, 1000L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Move_Inside_The_Quota_That_Takes_Away_The_File_An_Upload_Will_Replace_Counts_The_Whole_Upload()
    {
        var old = Bytes(400);
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", "q/d/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/d/f.bin", old)).StatusCode);

        // The upload will replace 400 bytes by 500: it holds back the 100 it adds.
        var created = await TusAsync("POST", "q/d/", null, null, ("Upload-Length", "500"),
            ("Upload-Metadata", "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes("f.bin"))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var upload = created.Headers.Location!.AbsoluteUri;
        Assert.Equal((500L, 500L), await QuotaAsync("q/"));
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/g.bin", Bytes(400))).StatusCode);

        // Moving the file (or its folder) away inside the quota keeps its 400 bytes and leaves the upload adding all
        // of its 500: 1,300 would not fit. Refused, and nothing moved.
        foreach (var (from, to) in new[] { ("q/d/f.bin", "q/h.bin"), ("q/d/", "q/e/") })
        {
            var move = await Client.SendAsync("MOVE", from, null, ("Destination", Server.Url(to).AbsoluteUri));
            Assert.Equal(HttpStatusCode.InsufficientStorage, move.StatusCode);
            await AssertQuotaConditionAsync(move);
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(to)).StatusCode);
            Assert.Equal(old, await Client.GetByteArrayAsync("q/d/f.bin"));
            Assert.Equal((900L, 100L), await QuotaAsync("q/"));
        }

        // With room for both it moves, and the upload still finishes, within the quota.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("DELETE", "q/g.bin")).StatusCode);
        var moved = await Client.SendAsync("MOVE", "q/d/f.bin", null, ("Destination", Server.Url("q/h.bin").AbsoluteUri));
        Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
        Assert.Equal((900L, 100L), await QuotaAsync("q/"));
        var bytes = Bytes(500);
        Assert.Equal(HttpStatusCode.NoContent, (await TusPatchAsync(upload, 0, bytes)).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("q/d/f.bin"));
        Assert.Equal(old, await Client.GetByteArrayAsync("q/h.bin"));
        Assert.Equal((900L, 100L), await QuotaAsync("q/"));
    }

    [Fact]
    public async Task Two_Racing_Puts_That_Together_Exceed_The_Quota_Never_Both_Succeed()
    {
        using var other = new HttpClient { BaseAddress = Server.Root, Timeout = TimeSpan.FromSeconds(60) };
        for (var round = 0; round < RaceRounds; round++)
        {
            // Small bodies are staged, large ones go through upload sessions: alternate the two paths.
            var size = round % 2 == 0 ? 200 : 600;
            Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("q/base.bin", Bytes((int)Limit - (size * 3 / 2)))).StatusCode);
            var a = Bytes(size);
            var b = Bytes(size);
            var results = await Task.WhenAll(Client.PutAsync($"q/a{round}.bin", a), other.PutAsync($"q/b{round}.bin", b));
            AssertOneWinner(results);
            var (url, bytes) = results[0].StatusCode == HttpStatusCode.Created ? ($"q/a{round}.bin", a) : ($"q/b{round}.bin", b);
            Assert.Equal(bytes, await Client.GetByteArrayAsync(url));
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(url.Contains("/a", StringComparison.Ordinal) ? $"q/b{round}.bin" : $"q/a{round}.bin")).StatusCode);
            Assert.Equal((Limit - (size * 3 / 2) + size, (size * 3 / 2) - size), await QuotaAsync("q/"));
            Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("DELETE", url)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("DELETE", "q/base.bin")).StatusCode);
        }
    }

    [Fact]
    public async Task Two_Racing_Uploads_And_Copies_That_Together_Exceed_The_Quota_Never_Both_Succeed()
    {
        using var other = new HttpClient { BaseAddress = Server.Root, Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("outside.bin", Bytes(600))).StatusCode);
        for (var round = 0; round < RaceRounds; round++)
        {
            var results = round % 2 == 0
                ? await Task.WhenAll(TusCreateAsync($"t{round}.bin", 600, Client), TusCreateAsync($"u{round}.bin", 600, other))
                : await Task.WhenAll(
                    Client.SendAsync("COPY", "outside.bin", null, ("Destination", Server.Url($"q/c{round}.bin").AbsoluteUri)),
                    other.PutAsync($"q/p{round}.bin", Bytes(600)));
            AssertOneWinner(results);
            Assert.Equal((600L, 400L), await QuotaAsync("q/"));

            // Clear the folder for the next round: the winner's upload or file goes.
            var winner = results.Single(r => r.StatusCode == HttpStatusCode.Created);
            var target = round % 2 == 0 ? winner.Headers.Location!.AbsoluteUri : (results[0] == winner ? $"q/c{round}.bin" : $"q/p{round}.bin");
            var cleared = round % 2 == 0 ? await TusAsync("DELETE", target) : await Client.SendAsync("DELETE", target);
            Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
            Assert.Equal((0L, 1000L), await QuotaAsync("q/"));
        }
    }

    /// <summary>
    /// Two servers over one storage (<paramref name="second"/> is another instance over it, as another process or
    /// node opens it), a client on each, racing for the room of the quota in a bounded loop: never both win.
    /// </summary>
    protected async Task RaceAcrossServersAsync(IDavStore second)
    {
        await using var other = await StartAsync(second);
        for (var round = 0; round < RaceRounds; round++)
        {
            // Staged bodies on even rounds, upload sessions on odd ones.
            var size = round % 2 == 0 ? 200 : 600;
            var results = await Task.WhenAll(
                Client.PutAsync($"q/a{round}.bin", Bytes(size)),
                other.Client.PutAsync($"q/b{round}.bin", Bytes(size)),
                Client.PutAsync($"q/c{round}.bin", Bytes((int)Limit - size)));
            Assert.True(results.Count(r => r.StatusCode == HttpStatusCode.Created) <= 2, "Three writes that together exceed the quota all succeeded.");
            Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.InsufficientStorage, $"Unexpected {r.StatusCode}."));
            var stored = (await Task.WhenAll(new[] { $"q/a{round}.bin", $"q/b{round}.bin", $"q/c{round}.bin" }.Select(async url =>
            {
                var get = await other.Client.GetAsync(url);
                return get.StatusCode == HttpStatusCode.OK ? (await get.Content.ReadAsByteArrayAsync()).LongLength : 0;
            }))).Sum();
            Assert.InRange(stored, 1, Limit);
            Assert.Equal((stored, Limit - stored), await QuotaAsync("q/"));
            foreach (var name in new[] { "a", "b", "c" })
            {
                await Client.SendAsync("DELETE", $"q/{name}{round}.bin");
            }
        }
    }

    protected static byte[] Bytes(int count) => RandomNumberGenerator.GetBytes(count);

    /// <summary>The quota properties of a folder, asked for by name.</summary>
    protected async Task<(long Used, long Available)> QuotaAsync(string url)
    {
        var multistatus = await Dav.MultistatusAsync(await Client.PropfindAsync(url, "0", QuotaPropfind));
        var href = "/" + url;
        var used = Dav.Property(multistatus, href, Used);
        var available = Dav.Property(multistatus, href, Available);
        Assert.NotNull(used);
        Assert.NotNull(available);
        Assert.Contains("200", used.Value.Status, StringComparison.Ordinal);
        Assert.Contains("200", available.Value.Status, StringComparison.Ordinal);
        return (long.Parse(used.Value.Property.Value, CultureInfo.InvariantCulture), long.Parse(available.Value.Property.Value, CultureInfo.InvariantCulture));
    }

    protected Task<HttpResponseMessage> TusCreateAsync(string name, long? length, HttpClient? client = null)
    {
        (string, string) lengthHeader = length is { } l ? ("Upload-Length", l.ToString(CultureInfo.InvariantCulture)) : ("Upload-Defer-Length", "1");
        return TusAsync("POST", "q/", null, client, lengthHeader, ("Upload-Metadata", "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(name))));
    }

    private Task<HttpResponseMessage> TusPatchAsync(string upload, long offset, byte[] body) =>
        TusAsync("PATCH", upload, body, null, ("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture)));

    private Task<HttpResponseMessage> TusAsync(string method, string url, byte[]? body = null, HttpClient? client = null, params (string Name, string Value)[] headers)
    {
        var request = Dav.Request(method, url, null, [.. headers, ("Tus-Resumable", "1.0.0")]);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        }

        return (client ?? Client).SendAsync(request);
    }

    private const string QuotaPropfind =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:quota-available-bytes/><D:quota-used-bytes/></D:prop></D:propfind>";

    private static void AssertOneWinner(HttpResponseMessage[] results)
    {
        var statuses = results.Select(r => r.StatusCode).Order().ToArray();
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.InsufficientStorage], statuses);
    }

    private static async Task AssertQuotaConditionAsync(HttpResponseMessage response)
    {
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(D + "error", error.Root!.Name);
        Assert.NotNull(error.Root.Element(D + "quota-not-exceeded"));
    }
}
