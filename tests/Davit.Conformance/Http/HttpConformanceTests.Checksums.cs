#pragma warning disable CA5350, CA5351 // SHA-1 and MD5 are what the ownCloud protocol names: integrity checks, not security

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance.Http;

// Content hashes: kept as a PUT streams in (where the store can keep them), served as oc:checksums the way rclone's
// ownCloud dialect reads them, and OC-Checksum on PUT checked before anything is stored.
public abstract partial class HttpConformanceTests
{
    private static readonly XNamespace Oc = "http://owncloud.org/ns";

    private const string ChecksumsPropfind = "<D:propfind xmlns:D=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\"><D:prop><D:displayname/><D:getlastmodified/><D:getcontentlength/><D:resourcetype/><oc:checksums/><oc:permissions/></D:prop></D:propfind>";

    private static string Sums(byte[] bytes) =>
        $"SHA1:{Convert.ToHexStringLower(SHA1.HashData(bytes))} MD5:{Convert.ToHexStringLower(MD5.HashData(bytes))}";

    private async Task<bool> KeepsHashesAsync()
    {
        await Client.PutAsync("probe.bin", "p");
        var keeps = await Store.GetAsync("probe.bin") is IContentHashes;
        await Client.SendAsync("DELETE", "probe.bin");
        return keeps;
    }

    [Fact]
    public async Task Propfind_Names_The_Hashes_Kept_When_The_File_Was_Written_In_Rclones_Shape()
    {
        var keeps = await KeepsHashesAsync();
        await Client.SendAsync("MKCOL", "h/");
        var bytes = Encoding.UTF8.GetBytes("The quick brown fox");
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("h/fox.txt", bytes)).StatusCode);

        var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("h/", "1", Dav.Xml(ChecksumsPropfind)));
        var file = Dav.Property(listing, Href("h/fox.txt"), Oc + "checksums");
        if (!keeps)
        {
            Assert.Contains("404", file!.Value.Status, StringComparison.Ordinal);
            return;
        }

        Assert.Contains("200", file!.Value.Status, StringComparison.Ordinal);
        Assert.Equal(Sums(bytes), Assert.Single(file.Value.Property.Elements(Oc + "checksum")).Value);

        // rclone takes the first propstat's status for the whole item: the 200 one comes first.
        var response = listing.Root!.Elements(D + "response").Single(r => r.Element(D + "href")!.Value == Href("h/fox.txt"));
        Assert.Contains("200", response.Elements(D + "propstat").First().Element(D + "status")!.Value, StringComparison.Ordinal);
        Assert.Contains("404", Dav.Property(listing, Href("h/"), Oc + "checksums")!.Value.Status, StringComparison.Ordinal);

        // Not part of allprop: a listing that does not ask pays nothing for it.
        var all = await Dav.MultistatusAsync(await Client.PropfindAsync("h/fox.txt", "0"));
        Assert.Empty(all.Descendants(Oc + "checksums"));

        // The time set afterwards keeps them; new content replaces them.
        await Client.SendAsync("PROPPATCH", "h/fox.txt", Dav.Xml("<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:lastmodified>1000000000</D:lastmodified></D:prop></D:set></D:propertyupdate>"));
        Assert.Equal(Sums(bytes), await ChecksumsOfAsync("h/fox.txt"));
        var other = Encoding.UTF8.GetBytes("jumps over the lazy dog");
        await Client.PutAsync("h/fox.txt", other, ("X-OC-Mtime", "1000000000"));
        Assert.Equal(Sums(other), await ChecksumsOfAsync("h/fox.txt"));

        // They follow the file through MOVE, and are gone with it.
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MOVE", "h/fox.txt", null, ("Destination", Server.Url("h/moved.txt").AbsoluteUri))).StatusCode);
        Assert.Equal(Sums(other), await ChecksumsOfAsync("h/moved.txt"));
        await Client.SendAsync("DELETE", "h/moved.txt");
        await Client.PutAsync("h/moved.txt", "x");
        Assert.Equal(Sums("x"u8.ToArray()), await ChecksumsOfAsync("h/moved.txt"));
    }

    [Theory]
    [InlineData("SHA1")]
    [InlineData("MD5")]
    [InlineData("sha1")]
    public async Task Put_With_A_Matching_OC_Checksum_Is_Stored(string algorithm)
    {
        var bytes = Encoding.UTF8.GetBytes("checked " + algorithm);
        var hex = algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase) ? Convert.ToHexString(MD5.HashData(bytes)) : Convert.ToHexStringLower(SHA1.HashData(bytes));
        var put = await Client.PutAsync("c.txt", bytes, ("OC-Checksum", $"{algorithm}:{hex}"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("c.txt"));
    }

    [Theory]
    [InlineData("SHA1:0000000000000000000000000000000000000000")]
    [InlineData("MD5:00000000000000000000000000000000")]
    [InlineData("ADLER32:084b021f SHA1:0000000000000000000000000000000000000000")]
    [InlineData("SHA1:not-hex")]
    [InlineData("SHA1:abc")]
    [InlineData("nonsense")]
    public async Task Put_Whose_Body_Does_Not_Match_Its_OC_Checksum_Gets_400_And_Stores_Nothing(string checksum)
    {
        await Client.PutAsync("kept.txt", "old content");
        var before = (await Client.GetAsync("kept.txt")).Headers.ETag;
        var bytes = Encoding.UTF8.GetBytes("new content that the checksum does not describe");

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PutAsync("kept.txt", bytes, ("OC-Checksum", checksum))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PutAsync("absent.txt", bytes, ("OC-Checksum", checksum))).StatusCode);

        var kept = await Client.GetAsync("kept.txt");
        Assert.Equal("old content", await kept.Content.ReadAsStringAsync());
        Assert.Equal(before, kept.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("absent.txt")).StatusCode);
    }

    [Fact]
    public async Task An_Empty_Put_Is_Checked_And_Hashed_Too()
    {
        var keeps = await KeepsHashesAsync();
        const string EmptySha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PutAsync("empty.txt", [], ("OC-Checksum", "SHA1:" + new string('1', 40)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("empty.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("empty.txt", [], ("OC-Checksum", "SHA1:" + EmptySha1))).StatusCode);
        Assert.Equal(keeps ? Sums([]) : null, await ChecksumsOfAsync("empty.txt"));
    }

    [Fact]
    public async Task Put_With_An_Unknown_Checksum_Algorithm_Only_Is_Stored_Unchecked()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("a.txt", "a"u8.ToArray(), ("OC-Checksum", "ADLER32:00620062"))).StatusCode);
        Assert.Equal("a", await Client.GetStringAsync("a.txt"));
    }

    [Fact]
    public async Task A_Large_Put_Staged_As_An_Upload_Is_Checked_And_Hashed_Too()
    {
        var keeps = await KeepsHashesAsync();
        var bytes = TestBytes.Random(3 * 1024 * 1024 + 17);
        var wrong = "SHA1:" + Convert.ToHexStringLower(SHA1.HashData(bytes.AsSpan(1)));
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PutAsync("big.bin", bytes, ("OC-Checksum", wrong))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("big.bin")).StatusCode);

        var right = "SHA1:" + Convert.ToHexStringLower(SHA1.HashData(bytes));
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("big.bin", bytes, ("OC-Checksum", right))).StatusCode);
        Assert.Equal(bytes, await Client.GetByteArrayAsync("big.bin"));
        Assert.Equal(keeps ? Sums(bytes) : null, await ChecksumsOfAsync("big.bin"));
    }

    [Fact]
    public async Task Proppatch_Of_Checksums_Beside_A_Time_As_Rclone_Sends_It_Is_Taken_Only_When_They_Agree()
    {
        var keeps = await KeepsHashesAsync();
        var takesTimes = await TakesTimesAsync();
        var bytes = "sums"u8.ToArray();
        await Client.PutAsync("s.txt", bytes);
        var before = (await Client.GetAsync("s.txt")).Content.Headers.LastModified;
        static string Body(string sums) => Dav.Xml(
            "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\"><D:set><D:prop><lastmodified xmlns=\"DAV:\">1000000000</lastmodified>"
            + $"<oc:checksums>\n\t<oc:checksum>{sums}</oc:checksum>\n   </oc:checksums></D:prop></D:set></D:propertyupdate>");

        var wrong = await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", "s.txt", Body("SHA1:" + new string('0', 40))));
        Assert.Contains(keeps ? "409" : "403", Dav.Property(wrong, Href("s.txt"), Oc + "checksums")!.Value.Status, StringComparison.Ordinal);
        Assert.Equal(before, (await Client.GetAsync("s.txt")).Content.Headers.LastModified);

        var right = await Dav.MultistatusAsync(await Client.SendAsync("PROPPATCH", "s.txt", Body(Sums(bytes).Split(' ')[0])));
        if (!keeps || !takesTimes)
        {
            Assert.DoesNotContain("200", string.Concat(right.Descendants(D + "status").Select(e => e.Value)), StringComparison.Ordinal);
            return;
        }

        Assert.All(right.Descendants(D + "status"), s => Assert.Contains("200", s.Value, StringComparison.Ordinal));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(OldTime), (await Client.GetAsync("s.txt")).Content.Headers.LastModified);
        Assert.Equal(Sums(bytes), await ChecksumsOfAsync("s.txt"));
    }

    private async Task<string?> ChecksumsOfAsync(string path)
    {
        var listing = await Dav.MultistatusAsync(await Client.PropfindAsync(path, "0", Dav.Xml(ChecksumsPropfind)));
        return Dav.Property(listing, Href(path), Oc + "checksums")?.Property.Element(Oc + "checksum")?.Value;
    }
}
