using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Conformance.Http;

/// <summary>
/// The IETF resumable-upload protocol (draft-ietf-httpbis-resumable-upload, the text after -11, interop version 8):
/// upload creation, offset retrieval, append and cancellation, with their error answers.
/// </summary>
public abstract partial class HttpConformanceTests
{
    private const string Interop = "Upload-Draft-Interop-Version: 8\r\n";

    private static readonly TimeSpan SaveTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The path and query of an absolute upload-resource URL, for a raw request line.</summary>
    private static string Target(string location) => new Uri(location).PathAndQuery;

    [Fact]
    public async Task Ietf_Walk_Create_Interrupt_Ask_The_Offset_Append_Complete_Over_Raw_Http()
    {
        var bytes = RandomNumberGenerator.GetBytes(600_000);
        var port = Server.Port;

        // Creation ("careful": no content, Upload-Complete: ?0): 201 with the upload resource.
        var created = await RawHttp.SendAsync(port,
            $"PUT {Href("walk.bin")} HTTP/1.1\r\n{Interop}Upload-Complete: ?0\r\nUpload-Length: {bytes.Length}\r\nContent-Length: 0\r\nContent-Type: image/png");
        Assert.Equal(201, created.Status);
        Assert.Equal("?0", created["Upload-Complete"]);
        Assert.Equal("0", created["Upload-Offset"]);
        Assert.Contains("max-age=", created["Upload-Limit"], StringComparison.Ordinal);
        var location = created["Location"]!;
        Assert.Equal(Href("walk.bin"), new Uri(location).AbsolutePath);

        // An append interrupted after 200,000 of its 600,000 bytes: the connection is reset once the server shows
        // bytes of it saved, as a broken network does.
        using (var socket = new System.Net.Sockets.TcpClient())
        {
            await socket.ConnectAsync("127.0.0.1", port);
            var stream = socket.GetStream();
            var append = $"PATCH {Target(location)} HTTP/1.1\r\nHost: 127.0.0.1\r\n{Interop}Upload-Complete: ?1\r\nUpload-Offset: 0\r\n"
                + $"Content-Type: application/partial-upload\r\nContent-Length: {bytes.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(append));
            await stream.WriteAsync(bytes.AsMemory(0, 200_000));
            await stream.FlushAsync();
            await WaitForOffsetAsync(port, location, o => o > 0);
            socket.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        }

        // Offset retrieval: what arrived was kept, and stays put once the server has wound the request up.
        var offset = await WaitForOffsetAsync(port, location, _ => true, stable: true);
        Assert.InRange(offset, 1, 200_000);
        var head = await RawHttp.SendAsync(port, $"HEAD {Target(location)} HTTP/1.1\r\n{Interop}");
        Assert.Equal(204, head.Status);
        Assert.Equal(CountString((int)offset), head["Upload-Offset"]);
        Assert.Equal("?0", head["Upload-Complete"]);
        Assert.Equal(CountString(bytes.Length), head["Upload-Length"]);
        Assert.Equal("no-store", head["Cache-Control"]);
        Assert.Contains("max-age=", head["Upload-Limit"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("walk.bin")).StatusCode);

        // Append the middle, then complete: the last answer is the target resource's (a PUT's 201).
        var middle = await RawHttp.SendAsync(port,
            $"PATCH {Target(location)} HTTP/1.1\r\n{Interop}Upload-Complete: ?0\r\nUpload-Offset: {offset}\r\nContent-Type: application/partial-upload\r\nContent-Length: {400_000 - offset}",
            bytes[(int)offset..400_000]);
        Assert.Equal(204, middle.Status);
        Assert.Equal("?0", middle["Upload-Complete"]);
        Assert.Equal("400000", middle["Upload-Offset"]);
        var last = await RawHttp.SendAsync(port,
            $"PATCH {Target(location)} HTTP/1.1\r\n{Interop}Upload-Complete: ?1\r\nUpload-Offset: 400000\r\nContent-Type: application/partial-upload\r\nContent-Length: 200000",
            bytes[400_000..]);
        Assert.Equal(201, last.Status);
        Assert.Equal("?1", last["Upload-Complete"]);
        Assert.NotNull(last["ETag"]);

        var get = await Client.GetAsync("walk.bin");
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
                Assert.Equal(404, (await RawHttp.SendAsync(port, $"HEAD {Target(location)} HTTP/1.1\r\n{Interop}")).Status);
    }

    /// <summary>Polls HEAD on the upload (bounded) until its offset satisfies <paramref name="done"/> and, with
    /// <paramref name="stable"/>, has not moved for 300 ms.</summary>
    private static async Task<long> WaitForOffsetAsync(int port, string location, Func<long, bool> done, bool stable = false)
    {
        var clock = Stopwatch.StartNew();
        long last = -1;
        var since = Stopwatch.StartNew();
        while (clock.Elapsed < SaveTimeout)
        {
            var head = await RawHttp.SendAsync(port, $"HEAD {Target(location)} HTTP/1.1\r\n{Interop}");
            var offset = long.Parse(head["Upload-Offset"]!, CultureInfo.InvariantCulture);
            if (offset != last)
            {
                (last, since) = (offset, Stopwatch.StartNew());
            }

            if (done(offset) && (!stable || since.ElapsedMilliseconds >= 300))
            {
                return offset;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The upload's offset stayed at {last}.");
    }

    [Fact]
    public async Task Ietf_A_Put_With_Upload_Complete_1_Stores_The_File_And_Answers_As_A_Put()
    {
        var put = await Client.PutAsync("one.txt", "whole"u8.ToArray(), ("Upload-Complete", "?1"), ("Upload-Draft-Interop-Version", "8"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("?1", put.Headers.GetValues("Upload-Complete").Single());
        Assert.NotNull(put.Headers.ETag);
        Assert.Equal("whole", await Client.GetStringAsync("one.txt"));
        var again = await Client.PutAsync("one.txt", "again"u8.ToArray(), ("Upload-Complete", "?1"));
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal("again", await Client.GetStringAsync("one.txt"));
        Assert.Empty(await ProgressAsync(""));
    }

    [Fact]
    public async Task Ietf_Options_Says_Upload_Limit_Min_Size_0_Without_Limits()
    {
        var options = await Client.SendAsync("OPTIONS", "");
        Assert.Equal("min-size=0", options.Headers.GetValues("Upload-Limit").Single());
    }

    private async Task<string> IetfCreateAsync(string url, long? length, params (string Name, string Value)[] headers)
    {
        (string, string)[] lengthHeader = length is { } l ? [("Upload-Length", CountString((int)l))] : [];
        var put = await Client.PutAsync(url, [], [("Upload-Complete", "?0"), ("Upload-Draft-Interop-Version", "8"), .. lengthHeader, .. headers]);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return put.Headers.Location!.AbsoluteUri;
    }

    private async Task<HttpResponseMessage> IetfAppendAsync(string url, byte[] body, long offset, bool complete, string? type = "application/partial-upload", params (string Name, string Value)[] headers)
    {
        var request = Dav.Request("PATCH", url, null, [("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture)), ("Upload-Complete", complete ? "?1" : "?0"), .. headers]);
        request.Content = new ByteArrayContent(body);
        if (type is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
        }

        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Ietf_An_Append_At_Another_Offset_Returns_409_With_The_Offset_And_A_Problem()
    {
        var url = await IetfCreateAsync("mis.bin", 100);
        Assert.Equal(HttpStatusCode.NoContent, (await IetfAppendAsync(url, new byte[30], 0, false)).StatusCode);
        var conflict = await IetfAppendAsync(url, new byte[30], 50, false);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("30", conflict.Headers.GetValues("Upload-Offset").Single());
        Assert.Equal("?0", conflict.Headers.GetValues("Upload-Complete").Single());
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await conflict.Content.ReadAsStringAsync()).RootElement;
        Assert.EndsWith("#mismatching-upload-offset", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(30, problem.GetProperty("expected-offset").GetInt64());
        Assert.Equal(50, problem.GetProperty("provided-offset").GetInt64());
    }

    [Fact]
    public async Task Ietf_Inconsistent_Lengths_Return_400_With_A_Problem()
    {
        var create = await Client.PutAsync("inc.bin", new byte[10], ("Upload-Complete", "?1"), ("Upload-Length", "20"));
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.EndsWith("#inconsistent-upload-length", JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);

        var url = await IetfCreateAsync("inc2.bin", 100);
        var append = await IetfAppendAsync(url, new byte[10], 0, true);
        Assert.Equal(HttpStatusCode.BadRequest, append.StatusCode);
        Assert.Equal("?0", append.Headers.GetValues("Upload-Complete").Single());
        Assert.Equal(HttpStatusCode.BadRequest, (await IetfAppendAsync(url, new byte[10], 0, false, headers: ("Upload-Length", "50"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("inc2.bin")).StatusCode);
    }

    [Fact]
    public async Task Ietf_An_Append_Needs_Its_Media_Type_Offset_And_Completeness()
    {
        var url = await IetfCreateAsync("hdr.bin", 10);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await IetfAppendAsync(url, new byte[5], 0, false, "application/octet-stream")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await IetfAppendAsync(url, new byte[5], 0, false, null)).StatusCode);
        var noOffset = Dav.Request("PATCH", url, null, ("Upload-Complete", "?0"));
        noOffset.Content = new ByteArrayContent(new byte[5]);
        noOffset.Content.Headers.ContentType = new MediaTypeHeaderValue("application/partial-upload");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(noOffset)).StatusCode);

        // tus-js-client's "ietf-draft-03" mode (interop version 5) sends no media type.
        Assert.Equal(HttpStatusCode.NoContent, (await IetfAppendAsync(url, new byte[5], 0, false, null, ("Upload-Draft-Interop-Version", "5"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await IetfAppendAsync(url, new byte[5], 5, true)).StatusCode);
    }

    [Fact]
    public async Task Ietf_Delete_Cancels_With_204_And_The_Upload_Is_Then_404()
    {
        await Client.PutAsync("cx.bin", "kept");
        var url = await IetfCreateAsync("cx.bin", 10);
        await IetfAppendAsync(url, new byte[5], 0, false);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("DELETE", url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync("HEAD", url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await IetfAppendAsync(url, new byte[5], 5, true)).StatusCode);
        Assert.Equal("kept", await Client.GetStringAsync("cx.bin"));
    }

    [Fact]
    public async Task Ietf_A_Post_To_A_Folder_Names_Its_File_With_Content_Disposition()
    {
        await Client.SendAsync("MKCOL", "drop/");
        var request = Dav.Request("POST", "drop/", null, ("Upload-Complete", "?1"), ("Upload-Draft-Interop-Version", "8"));
        request.Content = new ByteArrayContent("posted"u8.ToArray());
        request.Content.Headers.ContentDisposition = ContentDispositionHeaderValue.Parse("inline; filename=\"a b.txt\"");
        var post = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal("posted", await Client.GetStringAsync("drop/a%20b.txt"));

        var nameless = Dav.Request("POST", "drop/", null, ("Upload-Complete", "?1"));
        nameless.Content = new ByteArrayContent("x"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(nameless)).StatusCode);
    }

    [Fact]
    public async Task Ietf_An_Upload_Shows_In_The_Progress_Report_And_CancelUpload_Cancels_It()
    {
        var url = await IetfCreateAsync("rep.bin", 1000);
        await IetfAppendAsync(url, new byte[250], 0, false);
        Assert.Equal((250L, 1000L), ((await ProgressAsync(""))[Href("rep.bin")].Bytes, (await ProgressAsync(""))[Href("rep.bin")].Total));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("CANCELUPLOAD", "rep.bin")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync("HEAD", url)).StatusCode);
    }

    [Fact]
    public async Task Ietf_Above_The_Max_Size_Returns_413_With_Upload_Limit()
    {
        await using var limited = await DavTestServer.StartAsync(CreateStore(), Prefix, o => o.MaxUploadLength = 100);
        var put = await limited.Client.PutAsync("big.bin", [], ("Upload-Complete", "?0"), ("Upload-Length", "101"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Equal("max-size=100", put.Headers.GetValues("Upload-Limit").Single());
    }

    [Fact]
    public async Task Cors_Is_Off_By_Default_And_Answers_Allowed_Origins_When_Configured()
    {
        var plain = Dav.Request("OPTIONS", "", null, ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST"));
        Assert.False((await Client.SendAsync(plain)).Headers.Contains("Access-Control-Allow-Origin"));

        await using var cors = await DavTestServer.StartAsync(CreateStore(), Prefix, o => o.CorsOrigins = ["https://app.example"]);
        var preflight = await cors.Client.SendAsync(Dav.Request("OPTIONS", "", null,
            ("Origin", "https://app.example"), ("Access-Control-Request-Method", "PATCH"), ("Access-Control-Request-Headers", "tus-resumable, upload-offset")));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://app.example", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PATCH", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Upload-Offset", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal("86400", preflight.Headers.GetValues("Access-Control-Max-Age").Single());

        var post = await cors.Client.SendAsync(Dav.Request("POST", "", null, ("Origin", "https://app.example"), ("Tus-Resumable", "1.0.0"),
            ("Upload-Length", "5"), ("Upload-Metadata", TusMetadataOf("c.bin"))));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal("https://app.example", post.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Location", post.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        var failed = await cors.Client.SendAsync(Dav.Request("HEAD", post.Headers.Location!.AbsoluteUri, null, ("Origin", "https://app.example")));
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        Assert.Equal("https://app.example", failed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var stranger = await cors.Client.SendAsync(Dav.Request("OPTIONS", "", null, ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")));
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Upload_Locations_Follow_The_Forwarded_Scheme_And_Host_Behind_A_Proxy()
    {
        await using var proxied = await DavTestServer.StartAsync(CreateStore(), Prefix,
            services: s => s.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
                o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost),
            endpoint: (app, _) => Microsoft.AspNetCore.Builder.ForwardedHeadersExtensions.UseForwardedHeaders(app));
        var tus = await proxied.Client.SendAsync(Dav.Request("POST", "", null, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "files.example.com"),
            ("Tus-Resumable", "1.0.0"), ("Upload-Length", "5"), ("Upload-Metadata", TusMetadataOf("p.bin"))));
        Assert.Equal("https", tus.Headers.Location!.Scheme);
        Assert.Equal("files.example.com", tus.Headers.Location.Authority);
        Assert.Equal(Href("p.bin"), tus.Headers.Location.AbsolutePath);

        var ietf = await proxied.Client.PutAsync("q.bin", [], [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "files.example.com"), ("Upload-Complete", "?0")]);
        Assert.Equal("https://files.example.com" + Href("q.bin"), ietf.Headers.Location!.GetLeftPart(UriPartial.Path));
    }
}
