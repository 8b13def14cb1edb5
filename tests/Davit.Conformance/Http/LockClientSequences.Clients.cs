using System.Globalization;

namespace Davit.Conformance.Http;

/// <summary>The request sequences of real clients, each replayed from first request to last.</summary>
public abstract partial class LockClientSequenceTests
{
    [Fact]
    public async Task Office_Locks_Exclusively_Shows_Its_Owner_Refreshes_Saves_With_The_Token_And_Unlocks()
    {
        const string File = "docs/Report%20Q3.docx";
        var original = Bytes(20_000, seed: 1);
        Assert.Equal(201, (int)(await SendAsync(Client, "MKCOL", "docs/")).StatusCode);
        Assert.Equal(201, (int)(await PutBytesAsync(Client, File, original)).StatusCode);
        (string Name, string Value)[] office = [("User-Agent", OfficeAgent), ("X-Office-Major-Version", "16"), ("Translate", "f")];

        // Opening from a URL: protocol discovery on the folder, then HEAD on it ("Access denied" when that fails).
        var discovery = await SendAsync(Client, "OPTIONS", "docs/", null, ("User-Agent", OfficeDiscoveryAgent));
        Assert.Equal(200, (int)discovery.StatusCode);
        Assert.Equal(["1", "2"], DavClasses(discovery));
        Assert.Equal(200, (int)(await SendAsync(Client, "HEAD", "docs/", null, office)).StatusCode);
        Assert.Equal(207, (int)(await SendAsync(Client, "PROPFIND", File, null, [.. office, ("Depth", "0")])).StatusCode);

        // Editing starts with an exclusive lock that names the user.
        var lockBody = LockInfo("exclusive", "<D:owner><D:href>http://example.org/~user</D:href></D:owner>");
        var owner = OwnerOf(lockBody);
        var locked = await SendAsync(Client, "LOCK", File, lockBody, [.. office, ("Depth", "0"), ("Timeout", "Second-3600")]);
        Assert.Equal(200, (int)locked.StatusCode);
        var token = LockTokenOf(locked);
        AssertActiveLock(await ActiveLockOfAsync(locked), "exclusive", "0", owner, 3600, token, File);
        Assert.Equal(original, await Client.GetByteArrayAsync(File));

        // A colleague's Office shows "locked for editing by <owner>" from lockdiscovery, and cannot write.
        var seen = Assert.Single(await LockDiscoveryAsync(Other, File));
        AssertActiveLock(seen, "exclusive", "0", owner, 3600, token, File);
        await AssertLockedAsync(await PutBytesAsync(Other, File, Bytes(10, seed: 2)), File);
        await AssertLockedAsync(await SendAsync(Other, "PROPPATCH", File, Win32Proppatch("Wed, 01 Jan 2020 08:00:00 GMT", "Wed, 01 Jan 2020 08:00:00 GMT", "Wed, 01 Jan 2020 08:00:00 GMT", "00000020")), File);
        await AssertLockedAsync(await SendAsync(Other, "DELETE", File), File);
        await AssertErrorAsync(await SendAsync(Other, "LOCK", File, LockInfo("exclusive"), ("Depth", "0"), ("Timeout", "Second-3600")), 423, "no-conflicting-lock");
        await AssertErrorAsync(await SendAsync(Other, "LOCK", File, LockInfo("shared"), ("Depth", "0"), ("Timeout", "Second-3600")), 423, "no-conflicting-lock");
        Assert.Equal(original, await Other.GetByteArrayAsync(File));

        // While the document is open, Office refreshes the lock.
        var refreshed = await SendAsync(Client, "LOCK", File, null, [.. office, ("If", $"(<{token}>)"), ("Timeout", "Second-3600")]);
        Assert.Equal(200, (int)refreshed.StatusCode);
        AssertActiveLock(await ActiveLockOfAsync(refreshed), "exclusive", "0", owner, 3600, token, File);

        // Save: PUT and PROPPATCH with the token.
        var saved = Bytes(30_000, seed: 3);
        Assert.Equal(204, (int)(await PutBytesAsync(Client, File, saved, [.. office, ("If", $"(<{token}>)")])).StatusCode);
        var times = Win32Proppatch("Wed, 01 Jan 2020 08:00:00 GMT", "Thu, 02 Jan 2020 10:00:00 GMT", "Thu, 02 Jan 2020 10:00:00 GMT", "00000020");
        await AssertWin32AcceptedAsync(await SendAsync(Client, "PROPPATCH", File, times, [.. office, ("If", $"(<{token}>)")]), File);
        Assert.Equal(saved, await Client.GetByteArrayAsync(File));
        await AssertLockedAsync(await PutBytesAsync(Other, File, Bytes(10, seed: 4)), File);

        // Closing the document.
        Assert.Equal(204, (int)(await SendAsync(Client, "UNLOCK", File, null, [.. office, ("Lock-Token", $"<{token}>")])).StatusCode);
        Assert.Empty(await LockDiscoveryAsync(Other, File));
        Assert.Equal(saved, await Other.GetByteArrayAsync(File));
        var theirs = Bytes(10, seed: 5);
        Assert.Equal(204, (int)(await PutBytesAsync(Other, File, theirs)).StatusCode);
        Assert.Equal(theirs, await Client.GetByteArrayAsync(File));
    }

    [Fact]
    public async Task Windows_MiniRedirector_Creates_Empty_Locks_Sets_Win32_Properties_Writes_With_If_And_Unlocks()
    {
        const string File = "New%20Text%20Document.txt";
        (string Name, string Value)[] redir = [("User-Agent", MiniRedirAgent), ("Translate", "f")];

        // Explorer's copy of a new file: look, create it empty, lock it.
        Assert.Equal(404, (int)(await SendAsync(Client, "PROPFIND", File, null, [.. redir, ("Depth", "0")])).StatusCode);
        Assert.Equal(201, (int)(await PutBytesAsync(Client, File, [], redir)).StatusCode);
        var lockBody = LockInfo("exclusive", "<D:owner><D:href>DESKTOP-7Q2M3K1\\alice</D:href></D:owner>");
        var locked = await SendAsync(Client, "LOCK", File, lockBody, [.. redir, ("Timeout", "Infinite, Second-4100000000")]);
        Assert.Equal(200, (int)locked.StatusCode);
        var token = LockTokenOf(locked);
        var active = await ActiveLockOfAsync(locked);

        // No Depth header means infinity; on a file the server may show either.
        var depth = active.Element(D + "depth")?.Value;
        Assert.True(depth is "0" or "infinity", $"depth {depth}");
        AssertActiveLock(active, "exclusive", depth ?? string.Empty, OwnerOf(lockBody), null, token, File);

        // The Win32 times and attributes of the source file, then HEAD, then the content, all with the token.
        var created = Win32Proppatch("Thu, 02 Jan 2020 09:58:00 GMT", "Thu, 02 Jan 2020 10:05:00 GMT", "Thu, 02 Jan 2020 10:00:00 GMT", "00000020");
        await AssertWin32AcceptedAsync(await SendAsync(Client, "PROPPATCH", File, created, [.. redir, ("If", $"(<{token}>)")]), File);
        var head = await SendAsync(Client, "HEAD", File, null, redir);
        Assert.Equal(200, (int)head.StatusCode);
        Assert.Equal(0, head.Content.Headers.ContentLength);
        var content = Bytes(100_000, seed: 11);
        Assert.Equal(204, (int)(await PutBytesAsync(Client, File, content, [.. redir, ("If", $"(<{token}>)")])).StatusCode);

        // Writing moved the modification time; Explorer puts the source file's time back.
        await AssertWin32AcceptedAsync(await SendAsync(Client, "PROPPATCH", File, created, [.. redir, ("If", $"(<{token}>)")]), File);

        // Nobody else gets in meanwhile.
        await AssertLockedAsync(await PutBytesAsync(Other, File, Bytes(5, seed: 12)), File);
        await AssertLockedAsync(await SendAsync(Other, "DELETE", File), File);
        await AssertLockedAsync(await SendAsync(Other, "MOVE", File, null, ("Destination", Href("elsewhere.txt"))), File);

        Assert.Equal(204, (int)(await SendAsync(Client, "UNLOCK", File, null, [.. redir, ("Lock-Token", $"<{token}>")])).StatusCode);
        var get = await Other.GetAsync(File);
        Assert.Equal(200, (int)get.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 10, 0, 0, TimeSpan.Zero), get.Content.Headers.LastModified);
        Assert.Empty(await LockDiscoveryAsync(Other, File));
        Assert.Equal(204, (int)(await PutBytesAsync(Other, File, Bytes(5, seed: 13))).StatusCode);
    }

    [Fact]
    public async Task Finder_Locks_An_Unmapped_Url_Then_Puts_Chunked_With_Expected_Length_And_Unlocks()
    {
        const string File = "Notes.rtf";
        (string Name, string Value)[] finder = [("User-Agent", FinderAgent)];

        // Finder checks the name and its AppleDouble twin, then locks the unmapped URL before writing.
        Assert.Equal(404, (int)(await SendAsync(Client, "PROPFIND", File, null, [.. finder, ("Depth", "0")])).StatusCode);
        Assert.Equal(404, (int)(await SendAsync(Client, "PROPFIND", "._Notes.rtf", null, [.. finder, ("Depth", "0")])).StatusCode);
        const string LockBody = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:lockinfo xmlns:D=\"DAV:\">\n"
            + "<D:lockscope><D:exclusive/></D:lockscope>\n<D:locktype><D:write/></D:locktype>\n"
            + "<D:owner>\n<D:href>http://www.apple.com/webdav_fs/</D:href>\n</D:owner>\n</D:lockinfo>\n";
        var locked = await SendAsync(Client, "LOCK", File, LockBody, [.. finder, ("Depth", "0"), ("Timeout", "Second-600")]);
        Assert.Equal(201, (int)locked.StatusCode);
        var token = LockTokenOf(locked);
        AssertActiveLock(await ActiveLockOfAsync(locked), "exclusive", "0", OwnerOf(LockBody), 600, token, File);

        // The locked empty resource exists, and only the lock holder may fill it.
        Assert.Equal("0", await ContentLengthPropertyAsync(File));
        await AssertLockedAsync(await PutBytesAsync(Other, File, Bytes(5, seed: 21)), File);

        // The upload: chunked, no Content-Length, the size announced in X-Expected-Entity-Length.
        var content = Bytes(150_000, seed: 22);
        var put = Request("PUT", File, headers: [.. finder, ("If", $"(<{token}>)"), ("X-Expected-Entity-Length", content.Length.ToString(CultureInfo.InvariantCulture))]);
        put.Content = new StreamContent(new NonSeekableStream(content));
        put.Headers.TransferEncodingChunked = true;
        Assert.Equal(204, (int)(await Client.SendAsync(put)).StatusCode);
        Assert.Equal(content.Length.ToString(CultureInfo.InvariantCulture), await ContentLengthPropertyAsync(File));

        Assert.Equal(204, (int)(await SendAsync(Client, "UNLOCK", File, null, [.. finder, ("Lock-Token", $"<{token}>")])).StatusCode);
        var get = await Other.GetAsync(File);
        Assert.Equal(content.Length, get.Content.Headers.ContentLength);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(await LockDiscoveryAsync(Other, File));
        Assert.Equal(204, (int)(await PutBytesAsync(Other, File, Bytes(5, seed: 23))).StatusCode);
    }

    [Fact]
    public async Task Davfs2_Locks_Then_Puts_With_IfMatch_And_A_Tagged_If_Then_Unlocks()
    {
        const string File = "src/main.c";
        Assert.Equal(201, (int)(await SendAsync(Client, "MKCOL", "src/")).StatusCode);
        Assert.Equal(201, (int)(await PutBytesAsync(Client, File, Bytes(4_000, seed: 31))).StatusCode);
        (string Name, string Value)[] davfs = [("User-Agent", Davfs2Agent)];

        // davfs2 knows the ETag from its PROPFIND, locks (neon's lockinfo: default namespace, a text owner) ...
        var ms = await Dav.MultistatusAsync(await SendAsync(Client, "PROPFIND", File,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><propfind xmlns=\"DAV:\"><prop><getetag/></prop></propfind>", [.. davfs, ("Depth", "0")]));
        var etag = Dav.Property(ms, Href(File), D + "getetag")?.Property.Value;
        Assert.NotNull(etag);
        const string LockBody = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<lockinfo xmlns='DAV:'>\n"
            + " <lockscope><exclusive/></lockscope>\n<locktype><write/></locktype><owner>alice</owner>\n</lockinfo>\n";
        var locked = await SendAsync(Client, "LOCK", File, LockBody, [.. davfs, ("Depth", "0"), ("Timeout", "Second-1800")]);
        Assert.Equal(200, (int)locked.StatusCode);
        var token = LockTokenOf(locked);
        AssertActiveLock(await ActiveLockOfAsync(locked), "exclusive", "0", OwnerOf(LockBody), 1800, token, File);
        await AssertLockedAsync(await PutBytesAsync(Other, File, Bytes(5, seed: 32)), File);

        // ... and uploads on close with If-Match and a tagged If naming the file's absolute URL.
        var taggedIf = $"<{Server.Url(File).AbsoluteUri}> (<{token}>)";
        var edited = Bytes(5_000, seed: 33);
        var put = await PutBytesAsync(Client, File, edited, [.. davfs, ("If-Match", etag), ("If", taggedIf)]);
        Assert.Equal(204, (int)put.StatusCode);
        Assert.NotNull(put.Headers.ETag);
        Assert.NotEqual(etag, put.Headers.ETag.Tag);

        // Its conflict check: the old ETag no longer matches, token or not.
        Assert.Equal(412, (int)(await PutBytesAsync(Client, File, Bytes(5, seed: 34), [.. davfs, ("If-Match", etag), ("If", taggedIf)])).StatusCode);
        Assert.Equal(edited, await Client.GetByteArrayAsync(File));

        Assert.Equal(204, (int)(await SendAsync(Client, "UNLOCK", File, null, [.. davfs, ("Lock-Token", $"<{token}>")])).StatusCode);
        Assert.Equal(edited, await Other.GetByteArrayAsync(File));
        Assert.Empty(await LockDiscoveryAsync(Other, File));
        Assert.Equal(204, (int)(await PutBytesAsync(Other, File, Bytes(5, seed: 35))).StatusCode);
    }

    /// <summary>
    /// The numbered DAV compliance classes of an OPTIONS answer ("1", "2", "3"), sorted, wherever they stand in
    /// the DAV header. Other tokens (extensions such as "access-control" or a Coded-URL) are left out.
    /// </summary>
    protected static List<string> DavClasses(HttpResponseMessage options)
    {
        Assert.True(options.Headers.TryGetValues("DAV", out var values), "no DAV header");
        return
        [
            .. values.SelectMany(v => v.Split(','))
                .Select(v => v.Trim())
                .Where(v => v.Length > 0 && v.All(char.IsAsciiDigit))
                .Order(StringComparer.Ordinal),
        ];
    }

    private async Task<string?> ContentLengthPropertyAsync(string encodedRelative)
    {
        var ms = await Dav.MultistatusAsync(await SendAsync(Client, "PROPFIND", encodedRelative,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:getcontentlength/><D:resourcetype/></D:prop></D:propfind>", ("Depth", "0")));
        Assert.Null(Dav.Property(ms, Href(encodedRelative), D + "resourcetype")?.Property.Element(D + "collection"));
        return Dav.Property(ms, Href(encodedRelative), D + "getcontentlength")?.Property.Value;
    }
}
