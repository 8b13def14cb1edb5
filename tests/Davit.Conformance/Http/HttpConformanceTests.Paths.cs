using System.Net;
using System.Text;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    [Theory]
    [InlineData("with%20space.txt", "with space.txt")]
    [InlineData("hash%23.txt", "hash#.txt")]
    [InlineData("percent%25.txt", "percent%.txt")]
    [InlineData("plus+sign.txt", "plus+sign.txt")]
    [InlineData("%E2%82%AC-euro.txt", "\u20ac-euro.txt")]
    [InlineData("%E6%97%A5%E6%9C%AC.txt", "\u65e5\u672c.txt")]
    public async Task Names_Round_Trip_Through_Url_Encoding(string encoded, string name)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync(encoded, name)).StatusCode);
        var ms = await Dav.MultistatusAsync(await Client.PropfindAsync("", "1", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname/></D:prop></D:propfind>"));
        var href = Assert.Single(Dav.Hrefs(ms), h => h != Href(""));
        Assert.Equal(name, Dav.Property(ms, href, Dav.D + "displayname")?.Property.Value);
        Assert.Equal(name, await Client.GetStringAsync(href.Substring(Server.Prefix.Length + 1)));
    }

    [Fact]
    public async Task Nfc_And_Nfd_Names_Are_Two_Files_And_Each_Keeps_Its_Form()
    {
        await Client.PutAsync("%C3%A9.txt", "nfc");
        await Client.PutAsync("e%CC%81.txt", "nfd");
        Assert.Equal("nfc", await Client.GetStringAsync("%C3%A9.txt"));
        Assert.Equal("nfd", await Client.GetStringAsync("e%CC%81.txt"));
        var hrefs = Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("", "1")));
        Assert.Contains(Href("%C3%A9.txt"), hrefs);
        Assert.Contains(Href("e%CC%81.txt"), hrefs);
    }

    [Theory]
    [InlineData("/../outside")]
    [InlineData("/%2e%2e/outside")]
    [InlineData("/%2E%2E%2Foutside")]
    [InlineData("/a/..%2F..%2Foutside")]
    [InlineData("/..%5Coutside")]
    [InlineData("/a%5C..%5C..%5Coutside")]
    [InlineData("/a%00.txt")]
    [InlineData("/%C0%AE%C0%AE/outside")]
    public async Task Traversal_Attempts_Never_Succeed(string rawPath)
    {
        await Client.SendAsync("MKCOL", "a/");
        foreach (var method in new[] { "GET", "PUT", "DELETE", "MKCOL", "PROPFIND" })
        {
            var status = await Server.SendRawAsync($"{method} {Server.Prefix}{rawPath} HTTP/1.1\r\nContent-Length: 0");
            Assert.True(status is 400 or 404, $"{method} {rawPath} answered {status}");
        }

        // The store is unchanged: only "a/" is there.
        Assert.Equal([Href(""), Href("a/")], Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("", "1"))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_Raw_Fragment_In_The_Target_Is_Refused_And_Deletes_Nothing()
    {
        await Client.SendAsync("MKCOL", "frag/");
        var status = await Server.SendRawAsync($"DELETE {Server.Prefix}/frag/#ment HTTP/1.1");
        Assert.Equal(400, status);
        Assert.Equal(HttpStatusCode.MultiStatus, (await Client.PropfindAsync("frag/", "0")).StatusCode);
    }

    [Fact]
    public async Task An_Aborted_Put_Leaves_The_Previous_Content_Intact()
    {
        await Client.PutAsync("atomic.txt", "previous content");
        var partial = Encoding.ASCII.GetBytes(new string('n', 5000));
        await Server.SendRawAsync($"PUT {Server.Prefix}/atomic.txt HTTP/1.1\r\nContent-Length: 100000", partial, closeAfterSend: true);
        await Server.SendRawAsync($"PUT {Server.Prefix}/fresh.txt HTTP/1.1\r\nContent-Length: 100000", partial, closeAfterSend: true);

        // The server notices the abort asynchronously; give it a bounded moment, then check nothing changed.
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(100);
            Assert.Equal("previous content", await Client.GetStringAsync("atomic.txt"));
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("fresh.txt")).StatusCode);
        }
    }

    [Fact]
    public async Task An_Unknown_Method_Returns_501()
    {
        Assert.Equal(HttpStatusCode.NotImplemented, (await Client.SendAsync("BREW", "")).StatusCode);
    }
}
