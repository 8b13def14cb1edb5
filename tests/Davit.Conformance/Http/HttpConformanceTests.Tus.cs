using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

// tus's checksum extension names SHA-1 (mandatory) and MD5: these digests check transfers, they protect nothing.
#pragma warning disable CA5350, CA5351

namespace Davit.Conformance.Http;

/// <summary>
/// tus 1.0.0 (tus.io protocol, core and the extensions creation, creation-with-upload, creation-defer-length,
/// termination, expiration and checksum), written from the specification: every status and header a client relies on.
/// </summary>
public abstract partial class HttpConformanceTests
{
    private const string TusVersion = "1.0.0";

    private static string TusMetadataOf(string fileName, string? type = null) =>
        "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName)) + (type is null ? string.Empty : ",filetype " + Convert.ToBase64String(Encoding.UTF8.GetBytes(type)));

    /// <summary>A tus request: Tus-Resumable 1.0.0 unless given, and a body of application/offset+octet-stream.</summary>
    protected async Task<HttpResponseMessage> TusAsync(string method, string url, byte[]? body = null, params (string Name, string Value)[] headers)
    {
        var request = Dav.Request(method, url, null, headers.Any(h => h.Name == "Tus-Resumable") ? headers : [.. headers, ("Tus-Resumable", TusVersion)]);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Creates a tus upload of <paramref name="name"/> in <paramref name="folder"/>; returns its upload URL.</summary>
    protected async Task<string> TusCreateAsync(string folder, string name, long? length, params (string Name, string Value)[] headers)
    {
        (string, string)[] lengthHeader = length is { } l ? [("Upload-Length", l.ToString(CultureInfo.InvariantCulture))] : [("Upload-Defer-Length", "1")];
        var created = await TusAsync("POST", folder, null, [.. lengthHeader, ("Upload-Metadata", TusMetadataOf(name)), .. headers]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return created.Headers.Location!.AbsoluteUri;
    }

    private static long Header(HttpResponseMessage response, string name) =>
        long.Parse(Assert.Single(response.Headers.GetValues(name)), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Tus_Options_Advertises_Version_Extensions_And_Checksum_Algorithms_Without_A_Max_Size()
    {
        var options = await Client.SendAsync("OPTIONS", "");
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Equal(TusVersion, options.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal(TusVersion, options.Headers.GetValues("Tus-Version").Single());
        Assert.Equal(
            ["checksum", "creation", "creation-defer-length", "creation-with-upload", "expiration", "termination"],
            options.Headers.GetValues("Tus-Extension").Single().Split(',').Order(StringComparer.Ordinal));
        Assert.Contains("sha1", options.Headers.GetValues("Tus-Checksum-Algorithm").Single().Split(','));
        Assert.Contains("sha256", options.Headers.GetValues("Tus-Checksum-Algorithm").Single().Split(','));
        Assert.False(options.Headers.Contains("Tus-Max-Size"));
    }

    [Fact]
    public async Task Tus_Post_Returns_201_With_An_Absolute_Location_Below_The_Mount_And_Upload_Expires()
    {
        await Client.SendAsync("MKCOL", "in/");
        var created = await TusAsync("POST", "in/", null, ("Upload-Length", "10"), ("Upload-Metadata", TusMetadataOf("a b.bin")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(TusVersion, created.Headers.GetValues("Tus-Resumable").Single());
        var location = created.Headers.Location!;
        Assert.True(location.IsAbsoluteUri);
        Assert.Equal(Server.Root.Authority, location.Authority);
        Assert.Equal(Href("in/a%20b.bin"), location.AbsolutePath);
        Assert.StartsWith("?tus=", location.Query, StringComparison.Ordinal);
        var expires = DateTimeOffset.ParseExact(created.Headers.GetValues("Upload-Expires").Single(), "r", CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("in/a%20b.bin")).StatusCode);
    }

    [Fact]
    public async Task Tus_Head_Returns_200_With_Offset_Length_Metadata_And_No_Store()
    {
        var metadata = TusMetadataOf("h.bin", "text/plain") + ",empty";
        var created = await TusAsync("POST", "", null, ("Upload-Length", "100"), ("Upload-Metadata", metadata));
        var url = created.Headers.Location!.AbsoluteUri;
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", url, new byte[40], ("Upload-Offset", "0"))).StatusCode);

        var head = await TusAsync("HEAD", url);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(40, Header(head, "Upload-Offset"));
        Assert.Equal(100, Header(head, "Upload-Length"));
        Assert.Equal(metadata, head.Headers.GetValues("Upload-Metadata").Single());
        Assert.True(head.Headers.CacheControl!.NoStore);
        Assert.Equal(TusVersion, head.Headers.GetValues("Tus-Resumable").Single());
    }

    [Fact]
    public async Task Tus_Patches_Return_204_With_The_New_Offset_And_The_Last_Stores_The_File()
    {
        var bytes = RandomNumberGenerator.GetBytes(250_000);
        var url = await TusCreateAsync("", "whole.bin", bytes.Length);
        for (var offset = 0; offset < bytes.Length; offset += 100_000)
        {
            var chunk = bytes[offset..Math.Min(bytes.Length, offset + 100_000)];
            var patch = await TusAsync("PATCH", url, chunk, ("Upload-Offset", CountString(offset)));
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
            Assert.Equal(offset + chunk.Length, Header(patch, "Upload-Offset"));
            Assert.NotNull(patch.Headers.GetValues("Upload-Expires").Single());
        }

        Assert.Equal(bytes, await Client.GetByteArrayAsync("whole.bin"));
        Assert.Equal(HttpStatusCode.NotFound, (await TusAsync("HEAD", url)).StatusCode);
    }

    [Fact]
    public async Task Tus_Patch_At_Another_Offset_Returns_409_And_Changes_Nothing()
    {
        var url = await TusCreateAsync("", "off.bin", 100);
        await TusAsync("PATCH", url, new byte[30], ("Upload-Offset", "0"));
        Assert.Equal(HttpStatusCode.Conflict, (await TusAsync("PATCH", url, new byte[30], ("Upload-Offset", "10"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await TusAsync("PATCH", url, new byte[30], ("Upload-Offset", "60"))).StatusCode);
        Assert.Equal(30, Header(await TusAsync("HEAD", url), "Upload-Offset"));
    }

    [Fact]
    public async Task Tus_Patch_Of_Another_Media_Type_Returns_415_And_Without_Offset_400()
    {
        var url = await TusCreateAsync("", "type.bin", 100);
        var request = Dav.Request("PATCH", url, null, ("Tus-Resumable", TusVersion), ("Upload-Offset", "0"));
        request.Content = new ByteArrayContent(new byte[10]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("PATCH", url, new byte[10])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("PATCH", url, new byte[10], ("Upload-Offset", "-1"))).StatusCode);
    }

    [Fact]
    public async Task Tus_Unknown_Terminated_Or_Replaced_Uploads_Return_404_Without_An_Offset()
    {
        var url = await TusCreateAsync("", "gone.bin", 100);
        var unknown = Server.Url("gone.bin?tus=0123456789abcdef").AbsoluteUri;
        foreach (var method in (string[])["HEAD", "PATCH", "DELETE"])
        {
            var response = await TusAsync(method, unknown, method == "PATCH" ? new byte[1] : null, ("Upload-Offset", "0"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.False(response.Headers.Contains("Upload-Offset"));
        }

        var replacement = await TusCreateAsync("", "gone.bin", 100);
        Assert.Equal(HttpStatusCode.NotFound, (await TusAsync("HEAD", url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TusAsync("HEAD", replacement)).StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("HEAD")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Tus_An_Unsupported_Version_Returns_412_With_Tus_Version(string method)
    {
        var url = method == "POST" ? Server.Root.AbsoluteUri : await TusCreateAsync("", "v.bin", 10);
        (string, string)[] metadata = method == "POST" ? [] : [("Upload-Metadata", TusMetadataOf("v.bin"))];
        var response = await TusAsync(method, url, method == "PATCH" ? new byte[1] : null,
            [("Tus-Resumable", "0.2.2"), ("Upload-Length", "10"), ("Upload-Offset", "0"), .. metadata]);
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(TusVersion, response.Headers.GetValues("Tus-Version").Single());
        if (method != "POST")
        {
            Assert.Equal(0, Header(await TusAsync("HEAD", url), "Upload-Offset"));
        }
    }

    [Fact]
    public async Task Tus_Creation_Without_A_Valid_Length_Or_File_Name_Returns_400()
    {
        var name = ("Upload-Metadata", TusMetadataOf("x.bin"));
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("POST", "", null, name)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("POST", "", null, name, ("Upload-Length", "ten"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("POST", "", null, name, ("Upload-Defer-Length", "2"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("POST", "", null, name, ("Upload-Length", "1"), ("Upload-Defer-Length", "1"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("POST", "", null, ("Upload-Length", "1"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("POST", "", null, ("Upload-Length", "1"), ("Upload-Metadata", "filename ***"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("POST", "", null, ("Upload-Length", "1"), ("Upload-Metadata", TusMetadataOf("..")))).StatusCode);
        Assert.Empty(await ProgressAsync(""));
    }

    [Fact]
    public async Task Tus_Creation_Where_It_Cannot_Be_Returns_404_405_409_Or_412()
    {
        var name = ("Upload-Metadata", TusMetadataOf("f"));
        Assert.Equal(HttpStatusCode.NotFound, (await TusAsync("POST", "nofolder/", null, name, ("Upload-Length", "1"))).StatusCode);
        await Client.PutAsync("file.txt", "x");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await TusAsync("POST", "file.txt", null, name, ("Upload-Length", "1"))).StatusCode);
        await Client.SendAsync("MKCOL", "f/");
        Assert.Equal(HttpStatusCode.Conflict, (await TusAsync("POST", "", null, name, ("Upload-Length", "1"))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed,
            (await TusAsync("POST", "", null, ("Upload-Metadata", TusMetadataOf("file.txt")), ("Upload-Length", "1"), ("Overwrite", "F"))).StatusCode);
    }

    [Fact]
    public async Task Tus_An_Upload_Made_With_Overwrite_F_Fails_With_412_When_The_File_Appears_Meanwhile()
    {
        var url = await TusCreateAsync("", "race.bin", 4, ("Overwrite", "F"));
        await Client.PutAsync("race.bin", "mine");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await TusAsync("PATCH", url, "tus!"u8.ToArray(), ("Upload-Offset", "0"))).StatusCode);
        Assert.Equal("mine", await Client.GetStringAsync("race.bin"));

        var replacing = await TusCreateAsync("", "race.bin", 4);
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", replacing, "tus!"u8.ToArray(), ("Upload-Offset", "0"))).StatusCode);
        Assert.Equal("tus!", await Client.GetStringAsync("race.bin"));
    }

    [Fact]
    public async Task Tus_Deferred_Length_Shows_In_Head_Until_A_Patch_Gives_It()
    {
        var url = await TusCreateAsync("", "later.bin", null);
        var head = await TusAsync("HEAD", url);
        Assert.Equal("1", head.Headers.GetValues("Upload-Defer-Length").Single());
        Assert.False(head.Headers.Contains("Upload-Length"));
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", url, "abc"u8.ToArray(), ("Upload-Offset", "0"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("PATCH", url, "def"u8.ToArray(), ("Upload-Offset", "3"), ("Upload-Length", "2"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", url, "def"u8.ToArray(), ("Upload-Offset", "3"), ("Upload-Length", "6"))).StatusCode);
        Assert.Equal("abcdef", await Client.GetStringAsync("later.bin"));
    }

    [Fact]
    public async Task Tus_Creation_With_Upload_Saves_The_Body_And_A_Whole_Body_Stores_The_File()
    {
        var part = await TusAsync("POST", "", "01234"u8.ToArray(), ("Upload-Length", "10"), ("Upload-Metadata", TusMetadataOf("cwu.bin")));
        Assert.Equal(HttpStatusCode.Created, part.StatusCode);
        Assert.Equal(5, Header(part, "Upload-Offset"));
        var url = part.Headers.Location!.AbsoluteUri;
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", url, "56789"u8.ToArray(), ("Upload-Offset", "5"))).StatusCode);
        Assert.Equal("0123456789", await Client.GetStringAsync("cwu.bin"));

        var whole = await TusAsync("POST", "", "all"u8.ToArray(), ("Upload-Length", "3"), ("Upload-Metadata", TusMetadataOf("all.txt")));
        Assert.Equal(HttpStatusCode.Created, whole.StatusCode);
        Assert.Equal(3, Header(whole, "Upload-Offset"));
        Assert.NotNull(whole.Headers.Location);
        Assert.Equal("all", await Client.GetStringAsync("all.txt"));

        var request = Dav.Request("POST", "", null, ("Tus-Resumable", TusVersion), ("Upload-Length", "3"), ("Upload-Metadata", TusMetadataOf("t.txt")));
        request.Content = new StringContent("abc", Encoding.UTF8, "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Tus_An_Empty_Upload_Creates_An_Empty_File_At_Once()
    {
        var created = await TusAsync("POST", "", null, ("Upload-Length", "0"), ("Upload-Metadata", TusMetadataOf("zero.bin")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(created.Headers.Location);
        Assert.Empty(await Client.GetByteArrayAsync("zero.bin"));
    }

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha512")]
    [InlineData("md5")]
    public async Task Tus_A_Matching_Checksum_Is_Accepted(string algorithm)
    {
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        var digest = algorithm switch
        {
            "sha1" => SHA1.HashData(bytes),
            "sha256" => SHA256.HashData(bytes),
            "sha512" => SHA512.HashData(bytes),
            _ => MD5.HashData(bytes),
        };
        var url = await TusCreateAsync("", "sum.bin", bytes.Length);
        var patch = await TusAsync("PATCH", url, bytes, ("Upload-Offset", "0"), ("Upload-Checksum", $"{algorithm} {Convert.ToBase64String(digest)}"));
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("sum.bin"));
    }

    [Fact]
    public async Task Tus_A_Checksum_Mismatch_Returns_460_And_Keeps_Nothing_Of_The_Chunk()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var url = await TusCreateAsync("", "bad.bin", bytes.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", url, bytes[..50_000], ("Upload-Offset", "0"))).StatusCode);
        var wrong = Convert.ToBase64String(SHA1.HashData(bytes[..10]));
        var mismatch = await TusAsync("PATCH", url, bytes[50_000..], ("Upload-Offset", "50000"), ("Upload-Checksum", "sha1 " + wrong));
        Assert.Equal(460, (int)mismatch.StatusCode);
        Assert.Equal(50_000, Header(await TusAsync("HEAD", url), "Upload-Offset"));
        Assert.Equal(50_000, (await ProgressAsync("bad.bin"))[Href("bad.bin")].Bytes);

        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("PATCH", url, bytes[50_000..], ("Upload-Offset", "50000"), ("Upload-Checksum", "crc32 AAAA"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TusAsync("PATCH", url, bytes[50_000..], ("Upload-Offset", "50000"), ("Upload-Checksum", "sha1 not*base64"))).StatusCode);
        var right = Convert.ToBase64String(SHA1.HashData(bytes[50_000..]));
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", url, bytes[50_000..], ("Upload-Offset", "50000"), ("Upload-Checksum", "sha1 " + right))).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("bad.bin"));
    }

    [Fact]
    public async Task Tus_A_Body_Past_The_Upload_Length_Returns_413()
    {
        var url = await TusCreateAsync("", "long.bin", 10);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await TusAsync("PATCH", url, new byte[11], ("Upload-Offset", "0"))).StatusCode);
        Assert.Equal(0, Header(await TusAsync("HEAD", url), "Upload-Offset"));
    }

    [Fact]
    public async Task Tus_Above_The_Max_Size_Returns_413_And_Options_Says_The_Limit()
    {
        await using var limited = await DavTestServer.StartAsync(CreateStore(), Prefix, o => o.MaxUploadLength = 1000);
        var options = await limited.Client.SendAsync("OPTIONS", "");
        Assert.Equal("1000", options.Headers.GetValues("Tus-Max-Size").Single());
        Assert.Equal("max-size=1000", options.Headers.GetValues("Upload-Limit").Single());
        var request = Dav.Request("POST", "", null, ("Tus-Resumable", TusVersion), ("Upload-Length", "1001"), ("Upload-Metadata", TusMetadataOf("big.bin")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await limited.Client.SendAsync(request)).StatusCode);

        var deferred = Dav.Request("POST", "", null, ("Tus-Resumable", TusVersion), ("Upload-Defer-Length", "1"), ("Upload-Metadata", TusMetadataOf("big.bin")));
        var url = (await limited.Client.SendAsync(deferred)).Headers.Location!;
        var patch = Dav.Request("PATCH", url.AbsoluteUri, null, ("Tus-Resumable", TusVersion), ("Upload-Offset", "0"));
        patch.Content = new ByteArrayContent(new byte[1200]);
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await limited.Client.SendAsync(patch)).StatusCode);
    }

    [Fact]
    public async Task Tus_Delete_Returns_204_Then_The_Upload_Is_404_And_The_File_Keeps_Its_Content()
    {
        await Client.PutAsync("term.bin", "before");
        var url = await TusCreateAsync("", "term.bin", 100);
        await TusAsync("PATCH", url, new byte[50], ("Upload-Offset", "0"));
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("DELETE", url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await TusAsync("HEAD", url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await TusAsync("DELETE", url)).StatusCode);
        Assert.Equal("before", await Client.GetStringAsync("term.bin"));
        Assert.Equal(6, (await ProgressAsync("term.bin"))[Href("term.bin")].Bytes);
    }

    [Fact]
    public async Task Tus_An_Upload_Shows_In_The_Folders_Progress_Report_And_CancelUpload_Cancels_It()
    {
        await Client.SendAsync("MKCOL", "tp/");
        var url = await TusCreateAsync("tp/", "r.bin", 1000);
        await TusAsync("PATCH", url, new byte[300], ("Upload-Offset", "0"));
        var progress = (await ProgressAsync("tp/"))[Href("tp/r.bin")];
        Assert.Equal((300L, 1000L), (progress.Bytes, progress.Total));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("CANCELUPLOAD", "tp/r.bin")).StatusCode);
        Assert.Empty(await ProgressAsync("tp/"));
        Assert.Equal(HttpStatusCode.NotFound, (await TusAsync("HEAD", url)).StatusCode);
    }

    [Fact]
    public async Task Tus_Post_With_X_Http_Method_Override_Is_Taken_As_That_Method()
    {
        var url = await TusCreateAsync("", "over.bin", 4);
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("POST", url, "over"u8.ToArray(), ("Upload-Offset", "0"), ("X-HTTP-Method-Override", "PATCH"))).StatusCode);
        Assert.Equal("over", await Client.GetStringAsync("over.bin"));
        var other = await TusCreateAsync("", "over2.bin", 4);
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("POST", other, null, ("X-HTTP-Method-Override", "DELETE"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await TusAsync("HEAD", other)).StatusCode);
    }

    [Fact]
    public async Task Tus_Other_Methods_On_An_Upload_Url_Return_405()
    {
        var url = await TusCreateAsync("", "m.bin", 4);
        var get = await TusAsync("GET", url);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Contains("PATCH", get.Content.Headers.Allow);
    }

    [Fact]
    public async Task Tus_Lock_Rules_Apply_To_The_File_The_Upload_Becomes()
    {
        await Client.SendAsync("MKCOL", "lk/");
        var folderToken = await LockAsync("lk/", depth: "0");
        var name = ("Upload-Metadata", TusMetadataOf("x.bin"));
        await AssertLockedAsync(await TusAsync("POST", "lk/", null, name, ("Upload-Length", "4")), Href("lk/"));
        var created = await TusAsync("POST", "lk/", null, name, ("Upload-Length", "4"), ("If", $"(<{folderToken}>)"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = created.Headers.Location!.AbsoluteUri;
        await AssertLockedAsync(await TusAsync("PATCH", url, "data"u8.ToArray(), ("Upload-Offset", "0")), Href("lk/"));
        var tagged = ("If", $"<{Server.Url("lk/").AbsoluteUri}> (<{folderToken}>)");
        Assert.Equal(HttpStatusCode.NoContent, (await TusAsync("PATCH", url, "data"u8.ToArray(), ("Upload-Offset", "0"), tagged)).StatusCode);
        Assert.Equal("data", await Client.GetStringAsync("lk/x.bin"));

        var fileToken = await LockAsync("lk/x.bin", depth: "0");
        var replace = await TusAsync("POST", "lk/", null, name, ("Upload-Length", "4"), ("If", $"(<{folderToken}>)"));
        await AssertLockedAsync(replace, Href("lk/x.bin"));
        Assert.Equal(HttpStatusCode.Created, (await TusAsync("POST", "lk/", null, name, ("Upload-Length", "4"), ("If", $"<{Server.Url("lk/x.bin").AbsoluteUri}> (<{fileToken}>)"))).StatusCode);
    }

    [Fact]
    public async Task Tus_An_Expired_Upload_Returns_404()
    {
        await using var quick = await DavTestServer.StartAsync(CreateStore(), Prefix, o => o.UploadExpiration = TimeSpan.FromMilliseconds(300));
        var request = Dav.Request("POST", "", null, ("Tus-Resumable", TusVersion), ("Upload-Length", "10"), ("Upload-Metadata", TusMetadataOf("exp.bin")));
        var url = (await quick.Client.SendAsync(request)).Headers.Location!.AbsoluteUri;
        await Task.Delay(600);
        Assert.Equal(HttpStatusCode.NotFound, (await quick.Client.SendAsync("HEAD", url, null, ("Tus-Resumable", TusVersion))).StatusCode);
    }
}
