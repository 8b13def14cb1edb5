using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Davit.Server.Tests;

/// <summary>Locks on the file-system store (the server's default) outlive the server process.</summary>
public sealed partial class LockRestartTests
{
    private static readonly XNamespace D = "DAV:";

    [Fact]
    public async Task A_Lock_Taken_Before_A_Restart_Is_Still_Enforced_After_It()
    {
        using var temp = new TempFolder();
        var original = "written before the lock\n"u8.ToArray();
        string token;
        await using (var first = await ServerProcess.StartAsync("--root", temp.Path))
        {
            using var client = first.CreateClient();
            using var put = await client.PutAsync("/locked.txt", new ByteArrayContent(original));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

            using var lockRequest = new HttpRequestMessage(new HttpMethod("LOCK"), "/locked.txt")
            {
                Content = new StringContent(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
                    + "<D:locktype><D:write/></D:locktype><D:owner><D:href>http://example.org/~user</D:href></D:owner></D:lockinfo>",
                    Encoding.UTF8,
                    "application/xml"),
            };
            lockRequest.Headers.TryAddWithoutValidation("Depth", "0");
            lockRequest.Headers.TryAddWithoutValidation("Timeout", "Second-3600");
            using var locked = await client.SendAsync(lockRequest);
            Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
            var header = Assert.Single(locked.Headers.GetValues("Lock-Token"));
            var match = LockTokenHeader().Match(header);
            Assert.True(match.Success, $"Lock-Token: {header}");
            token = match.Groups["token"].Value;
        }

        await using var second = await ServerProcess.StartAsync("--root", temp.Path);
        using var other = second.CreateClient();

        // Without the token: 423, naming the lock.
        using (var refused = await other.PutAsync("/locked.txt", new ByteArrayContent("overwritten"u8.ToArray())))
        {
            Assert.Equal(423, (int)refused.StatusCode);
            var error = XDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(D + "error", error.Root!.Name);
            var href = Assert.Single(error.Root.Element(D + "lock-token-submitted")!.Elements(D + "href")).Value;
            Assert.True(href == "/locked.txt" || href == new Uri(second.BaseAddress, "/locked.txt").AbsoluteUri, $"href {href}");
        }

        Assert.Equal(original, await other.GetByteArrayAsync("/locked.txt"));

        // The lock is the same one: its token is still shown, and still opens it.
        using (var propfind = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/locked.txt")
        {
            Content = new StringContent("<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>", Encoding.UTF8, "application/xml"),
        })
        {
            propfind.Headers.TryAddWithoutValidation("Depth", "0");
            using var found = await other.SendAsync(propfind);
            Assert.Equal(HttpStatusCode.MultiStatus, found.StatusCode);
            var ms = XDocument.Parse(await found.Content.ReadAsStringAsync());
            var active = Assert.Single(ms.Descendants(D + "activelock"));
            Assert.Equal(token, active.Element(D + "locktoken")?.Element(D + "href")?.Value);
        }

        var saved = "written with the token\n"u8.ToArray();
        using (var withToken = new HttpRequestMessage(HttpMethod.Put, "/locked.txt") { Content = new ByteArrayContent(saved) })
        {
            withToken.Headers.TryAddWithoutValidation("If", $"(<{token}>)");
            using var put = await other.SendAsync(withToken);
            Assert.True(put.IsSuccessStatusCode, $"PUT with the token answered {(int)put.StatusCode}");
        }

        Assert.Equal(saved, await other.GetByteArrayAsync("/locked.txt"));
        Assert.Equal(saved, await File.ReadAllBytesAsync(temp.Combine("locked.txt")));

        using (var unlock = new HttpRequestMessage(new HttpMethod("UNLOCK"), "/locked.txt"))
        {
            unlock.Headers.TryAddWithoutValidation("Lock-Token", $"<{token}>");
            using var unlocked = await other.SendAsync(unlock);
            Assert.Equal(HttpStatusCode.NoContent, unlocked.StatusCode);
        }

        using var free = await other.PutAsync("/locked.txt", new ByteArrayContent("free again"u8.ToArray()));
        Assert.Equal(HttpStatusCode.NoContent, free.StatusCode);
    }

    [GeneratedRegex("^<(?<token>urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})>$")]
    private static partial Regex LockTokenHeader();
}
