using System.Net;
using System.Text.RegularExpressions;

namespace Davit.Conformance.Http;

// What clients found about folder URLs: GET and HEAD without the trailing slash are redirected (lftp took a 200 for a
// file), and the plain listing's links survive the simple HTML parsers download clients use.
public abstract partial class HttpConformanceTests
{
    // Names that HTML character references would turn into "&#x2B;" and the like, and friends.
    private static readonly string[] AwkwardNames =
    [
        "a+b.txt", "it's.txt", "x&y.txt", "q=1;c,d.txt", "(paren)!$*.txt", "at@colon:.txt", "semi;colon", "100%.txt",
        "sp ace.txt", "hash#.txt", "quote\".txt", "lt<gt>.txt", "caf\u00e9.txt", "\u65e5\u672c.txt", "tilde~.txt", "back`tick",
    ];

    [Theory]
    [InlineData("HEAD", "")]
    [InlineData("GET", "")]
    [InlineData("GET", "?plain")]
    [InlineData("GET", "?davit-listing&x=%2F1")]
    public async Task Get_And_Head_On_A_Folder_Without_Its_Slash_Redirect_With_301_To_The_Slashed_Url(string method, string query)
    {
        await Client.SendAsync("MKCOL", "docs/");
        await Client.SendAsync("MKCOL", "docs/sub%20dir/");
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Root };

        foreach (var (from, to) in new[] { ("docs", "docs/"), ("docs/sub%20dir", "docs/sub%20dir/") })
        {
            var response = await noRedirects.SendAsync(new HttpRequestMessage(new HttpMethod(method), from + query));
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal(Href(to) + query, response.Headers.Location?.OriginalString);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(HttpStatusCode.OK, (await noRedirects.SendAsync(new HttpRequestMessage(new HttpMethod(method), to + query))).StatusCode);
        }

        if (Server.Prefix.Length > 0)
        {
            // The mount's own root, named without its slash.
            var root = await noRedirects.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(Server.Root, Server.Prefix + query)));
            Assert.Equal(HttpStatusCode.MovedPermanently, root.StatusCode);
            Assert.Equal(Server.Prefix + "/" + query, root.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task Other_Methods_Work_On_A_Folder_Without_Its_Slash()
    {
        await Client.SendAsync("MKCOL", "docs/");
        await Client.PutAsync("docs/a.txt", "a");
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Root };

        var propfind = await noRedirects.SendAsync(Dav.Request("PROPFIND", "docs", null, ("Depth", "1")));
        Assert.Equal([Href("docs/"), Href("docs/a.txt")], Dav.Hrefs(await Dav.MultistatusAsync(propfind)).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.SendAsync(Dav.Request("OPTIONS", "docs"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await noRedirects.SendAsync(Dav.Request("COPY", "docs", null, ("Destination", Server.Url("copy").AbsoluteUri)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await noRedirects.SendAsync(Dav.Request("MOVE", "copy", null, ("Destination", Server.Url("moved").AbsoluteUri)))).StatusCode);
        Assert.Equal("a", await Client.GetStringAsync("moved/a.txt"));
        Assert.Equal(HttpStatusCode.NoContent, (await noRedirects.SendAsync(Dav.Request("DELETE", "moved"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await noRedirects.SendAsync(Dav.Request("MKCOL", "new"))).StatusCode);

        // A file keeps answering 200 without a slash.
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("docs/a.txt")).StatusCode);
    }

    [Fact]
    public async Task The_Plain_Listing_Links_Survive_A_Parser_That_Cuts_At_Ampersands_And_Quotes()
    {
        await Client.SendAsync("MKCOL", "awk/");
        foreach (var name in AwkwardNames)
        {
            Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("awk/" + Uri.EscapeDataString(name), name)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", "awk/" + Uri.EscapeDataString("dir+&'x") + "/")).StatusCode);
        var page = await Client.GetStringAsync("awk/");

        // As lftp reads a listing: the text between href=" and the next quote, cut at the first '&', then
        // percent-decoded; no character references are decoded.
        var found = Regex.Matches(page, "href=\"([^\"]*)\"")
            .Select(m => m.Groups[1].Value.Split('&')[0])
            .Select(Uri.UnescapeDataString)
            .Where(href => href.StartsWith(Server.Prefix + "/awk/", StringComparison.Ordinal))
            .Select(href => href[(Server.Prefix.Length + "/awk/".Length)..])
            .ToList();
        Assert.Equal(AwkwardNames.Append("dir+&'x/").Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("&#", page, StringComparison.Ordinal);

        // Every link, as a browser resolves it, fetches the file.
        foreach (Match link in Regex.Matches(page, "href=\"([^\"]*)\""))
        {
            var target = new Uri(Server.Url("awk/"), link.Groups[1].Value);
            var path = Uri.UnescapeDataString(target.AbsolutePath);
            var name = path.Length > Server.Prefix.Length + "/awk/".Length ? path[(Server.Prefix.Length + "/awk/".Length)..] : null;
            if (name is not null && AwkwardNames.Contains(name))
            {
                Assert.Equal(name, await Client.GetStringAsync(target));
            }
        }

        // The text of each link is the name, with only &, <, > and " escaped.
        Assert.Contains(">a+b.txt</a>", page, StringComparison.Ordinal);
        Assert.Contains(">it's.txt</a>", page, StringComparison.Ordinal);
        Assert.Contains(">x&amp;y.txt</a>", page, StringComparison.Ordinal);
        Assert.Contains(">lt&lt;gt&gt;.txt</a>", page, StringComparison.Ordinal);
        Assert.Contains(">caf\u00e9.txt</a>", page, StringComparison.Ordinal);
    }
}
