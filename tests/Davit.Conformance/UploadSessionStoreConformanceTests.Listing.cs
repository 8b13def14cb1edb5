using Davit.Storage;
using Davit.Uploads;

namespace Davit.Conformance;

public abstract partial class UploadSessionStoreConformanceTests
{
    /// <summary>Names a client may send that are easy to mangle: NFC and NFD spellings of one word, spaces, escapes,
    /// '%', control characters, characters outside the BMP, and a name that looks like a path or a record.</summary>
    protected static readonly string[] UnusualNames =
    [
        "caf\u00E9",
        "cafe\u0301",
        " leading and trailing ",
        "100% done?#.txt",
        "tab\there",
        "line\nbreak",
        "\u65E5\u672C\u8A9E",
        "\U0001F600.png",
        "..hidden",
        "a.json",
        "C:",
        "quote\"and'apostrophe",
        "back`tick{brace}[bracket]",
    ];

    [Fact]
    public async Task List_Returns_The_Sessions_At_And_Below_A_Path_But_Not_Beside_It()
    {
        var at = await CreateAsync("a/b");
        var child = await CreateAsync("a/b/c");
        var grandchild = await CreateAsync("a/b/c/d.txt");
        var sibling = await CreateAsync("a/bc");
        var parent = await CreateAsync("a");
        var elsewhere = await CreateAsync("x/a/b");

        AssertSessions([at, child, grandchild], await ListAsync("a/b"));
        AssertSessions([child, grandchild], await ListAsync("a/b/c"));
        AssertSessions([grandchild], await ListAsync("a/b/c/d.txt"));
        AssertSessions([at, child, grandchild, sibling, parent], await ListAsync("a"));
        AssertSessions([at, child, grandchild, sibling, parent, elsewhere], await ListAsync(""));
        Assert.Empty(await ListAsync("a/b/c/d"));
        Assert.Empty(await ListAsync("A"));
        Assert.Empty(await ListAsync("nothing"));
    }

    [Fact]
    public async Task List_Shows_Each_Session_As_Last_Saved()
    {
        var first = await WriteAsync(await CreateAsync("f/one"), 0, TestBytes.Random(10));
        var second = await CreateAsync("f/two", totalLength: 99, contentType: "text/plain");

        AssertSessions([first, second], await ListAsync("f"));

        var replaced = await CreateAsync("f/one");
        AssertSessions([replaced, second], await ListAsync("f"));
    }

    [Fact]
    public async Task Unusual_Names_Come_Back_Exactly()
    {
        var created = new List<UploadSession>();
        foreach (var name in UnusualNames)
        {
            var path = DavPath.Root.Append("odd " + name).Append(name);
            created.Add(await WriteAsync(await CreateAsync(path), 0, TestBytes.Utf8(name)));
        }

        foreach (var session in created)
        {
            var found = await Sessions.GetAsync(session.Path, Now, CancellationToken.None);
            Assert.Equal(session, found);
            Assert.Equal(session.Path.Segments.ToArray(), found!.Path.Segments.ToArray());
        }

        Assert.Null(await Sessions.GetAsync(DavPath.Root.Append("odd caf\u00E9").Append("cafe\u0301"), Now, CancellationToken.None));
        AssertSessions(created, await ListAsync(""));
        AssertSessions([created[0]], await Sessions.ListAsync(DavPath.Root.Append("odd caf\u00E9"), Now, CancellationToken.None));
    }
}
