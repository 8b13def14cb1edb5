namespace Davit.Conformance.Http;

/// <summary>The locking rules those clients depend on, one at a time.</summary>
public abstract partial class LockClientSequenceTests
{
    private const string NoSuchToken = "urn:uuid:00000000-0000-0000-0000-000000000000";

    [Fact]
    public async Task Options_Advertises_Dav_Classes_1_And_2_And_Allows_Lock_And_Unlock()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "o.txt", [1])).StatusCode);
        foreach (var url in new[] { "", "o.txt" })
        {
            var options = await SendAsync(Client, "OPTIONS", url);
            Assert.Equal(200, (int)options.StatusCode);
            Assert.Equal(["1", "2"], DavClasses(options));
        }

        var onFile = await SendAsync(Client, "OPTIONS", "o.txt");
        Assert.Contains("LOCK", onFile.Content.Headers.Allow);
        Assert.Contains("UNLOCK", onFile.Content.Headers.Allow);
    }

    [Fact]
    public async Task Supportedlock_Offers_Exclusive_And_Shared_Write_Locks()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "s.txt", [1])).StatusCode);
        Assert.Equal(201, (int)(await SendAsync(Client, "MKCOL", "sf/")).StatusCode);
        foreach (var url in new[] { "s.txt", "sf/" })
        {
            var ms = await Dav.MultistatusAsync(await SendAsync(Client, "PROPFIND", url,
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:supportedlock/></D:prop></D:propfind>", ("Depth", "0")));
            var supported = Dav.Property(ms, Href(url), D + "supportedlock");
            Assert.NotNull(supported);
            Assert.Equal("HTTP/1.1 200 OK", supported.Value.Status);
            var entries = supported.Value.Property.Elements(D + "lockentry")
                .Select(e => Assert.Single(e.Element(D + "lockscope")!.Elements()).Name.LocalName + "/" + Assert.Single(e.Element(D + "locktype")!.Elements()).Name.LocalName)
                .Order(StringComparer.Ordinal);
            Assert.Equal(["exclusive/write", "shared/write"], entries);
        }
    }

    [Fact]
    public async Task Refresh_With_A_Bodyless_Lock_And_If_Returns_200_And_The_New_Timeout()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "r.txt", [1, 2, 3])).StatusCode);
        var lockBody = LockInfo("exclusive");
        var locked = await SendAsync(Client, "LOCK", "r.txt", lockBody, ("Depth", "0"), ("Timeout", "Second-3600"));
        Assert.Equal(200, (int)locked.StatusCode);
        var token = LockTokenOf(locked);

        var refreshed = await SendAsync(Client, "LOCK", "r.txt", null, ("If", $"(<{token}>)"), ("Timeout", "Second-120"));
        Assert.Equal(200, (int)refreshed.StatusCode);
        AssertActiveLock(await ActiveLockOfAsync(refreshed), "exclusive", "0", OwnerOf(lockBody), 120, token, "r.txt");

        // Still one lock, with the new timeout, and still enforced.
        AssertActiveLock(Assert.Single(await LockDiscoveryAsync(Other, "r.txt")), "exclusive", "0", OwnerOf(lockBody), 120, token, "r.txt");
        await AssertLockedAsync(await PutBytesAsync(Other, "r.txt", [9]), "r.txt");

        // A refresh naming a token the resource is not locked with fails its If header.
        Assert.Equal(412, (int)(await SendAsync(Client, "LOCK", "r.txt", null, ("If", $"(<{NoSuchToken}>)"), ("Timeout", "Second-120"))).StatusCode);
    }

    [Fact]
    public async Task Lock_On_An_Unmapped_Url_Returns_201_And_Creates_An_Empty_Resource()
    {
        var lockBody = LockInfo("exclusive");
        var locked = await SendAsync(Client, "LOCK", "fresh.txt", lockBody, ("Depth", "0"), ("Timeout", "Second-3600"));
        Assert.Equal(201, (int)locked.StatusCode);
        var token = LockTokenOf(locked);
        AssertActiveLock(await ActiveLockOfAsync(locked), "exclusive", "0", OwnerOf(lockBody), 3600, token, "fresh.txt");

        var listing = await Dav.MultistatusAsync(await SendAsync(Client, "PROPFIND", "", null, ("Depth", "1")));
        Assert.Contains(Href("fresh.txt"), Dav.Hrefs(listing));
        Assert.Equal("0", Dav.Property(listing, Href("fresh.txt"), D + "getcontentlength")?.Property.Value);
        Assert.Null(Dav.Property(listing, Href("fresh.txt"), D + "resourcetype")?.Property.Element(D + "collection"));
        var get = await Other.GetAsync("fresh.txt");
        Assert.Equal(200, (int)get.StatusCode);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync());

        // It is a resource, not a folder to be, and it stays when the lock goes.
        Assert.Equal(405, (int)(await SendAsync(Client, "MKCOL", "fresh.txt", null, ("If", $"(<{token}>)"))).StatusCode);
        Assert.Equal(204, (int)(await SendAsync(Client, "UNLOCK", "fresh.txt", null, ("Lock-Token", $"<{token}>"))).StatusCode);
        Assert.Equal(200, (int)(await Other.GetAsync("fresh.txt")).StatusCode);
    }

    [Fact]
    public async Task Unlock_Accepts_A_Lock_Token_Without_Angle_Brackets()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "u.txt", [1])).StatusCode);
        var token = await LockAsync("u.txt");
        var unlock = await SendAsync(Client, "UNLOCK", "u.txt", null, ("User-Agent", MiniRedirAgent), ("Lock-Token", token));
        Assert.Equal(204, (int)unlock.StatusCode);
        Assert.Empty(await LockDiscoveryAsync(Other, "u.txt"));
        Assert.Equal(204, (int)(await PutBytesAsync(Other, "u.txt", [2])).StatusCode);
    }

    [Fact]
    public async Task Every_Lock_Gets_A_New_Token_And_An_Old_One_Opens_Nothing()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "n.txt", [1])).StatusCode);
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tokens.Add(await LockAsync("n.txt"));
            Assert.Equal(204, (int)(await SendAsync(Client, "UNLOCK", "n.txt", null, ("Lock-Token", $"<{tokens[^1]}>"))).StatusCode);
        }

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var current = await LockAsync("n.txt");
        Assert.DoesNotContain(current, tokens, StringComparer.OrdinalIgnoreCase);
        await AssertLockedAsync(await PutBytesAsync(Client, "n.txt", [2], ("If", $"(<{tokens[0]}>) (Not <DAV:no-lock>)")), "n.txt");
    }

    [Fact]
    public async Task Head_On_A_Collection_Returns_200()
    {
        Assert.Equal(201, (int)(await SendAsync(Client, "MKCOL", "Shared/")).StatusCode);
        foreach (var url in new[] { "Shared/", "Shared", "" })
        {
            var head = await SendAsync(Client, "HEAD", url, null, ("User-Agent", OfficeAgent));
            Assert.True((int)head.StatusCode == 200, $"HEAD '{url}' answered {(int)head.StatusCode}");
        }
    }

    [Fact]
    public async Task Win32_Proppatch_On_A_Folder_Returns_207_With_200_For_Each_Property()
    {
        Assert.Equal(201, (int)(await SendAsync(Client, "MKCOL", "New%20folder/")).StatusCode);

        // The mini-redirector names folders without their trailing slash.
        var body = Win32Proppatch("Thu, 02 Jan 2020 09:00:00 GMT", "Thu, 02 Jan 2020 09:30:00 GMT", "Thu, 02 Jan 2020 10:00:00 GMT", "00000010");
        var proppatch = await SendAsync(Client, "PROPPATCH", "New%20folder", body, ("User-Agent", MiniRedirAgent), ("Translate", "f"));
        await AssertWin32AcceptedAsync(proppatch, "New%20folder/");

        var ms = await Dav.MultistatusAsync(await SendAsync(Client, "PROPFIND", "New%20folder/",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\" xmlns:Z=\"urn:schemas-microsoft-com:\"><D:prop><Z:Win32FileAttributes/></D:prop></D:propfind>", ("Depth", "0")));
        Assert.Equal("00000010", Dav.Property(ms, Href("New%20folder/"), Ms + "Win32FileAttributes")?.Property.Value);
    }

    [Fact]
    public async Task Win32LastModifiedTime_Sets_The_Modification_Time_Shown_By_Get_And_Propfind()
    {
        const string When = "Thu, 02 Jan 2020 10:00:00 GMT";
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "photo.jpg", Bytes(1_000, seed: 41))).StatusCode);
        var body = Win32Proppatch("Wed, 01 Jan 2020 08:00:00 GMT", "Thu, 02 Jan 2020 10:05:00 GMT", When, "00000020");
        await AssertWin32AcceptedAsync(await SendAsync(Client, "PROPPATCH", "photo.jpg", body, ("User-Agent", MiniRedirAgent)), "photo.jpg");

        var get = await Client.GetAsync("photo.jpg");
        Assert.Equal(200, (int)get.StatusCode);
        Assert.Equal(When, Assert.Single(get.Content.Headers.GetValues("Last-Modified")));
        var ms = await Dav.MultistatusAsync(await SendAsync(Client, "PROPFIND", "photo.jpg",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:getlastmodified/></D:prop></D:propfind>", ("Depth", "0")));
        Assert.Equal(When, Dav.Property(ms, Href("photo.jpg"), D + "getlastmodified")?.Property.Value);
    }

    [Fact]
    public async Task Depth_Infinity_Lock_On_A_Folder_Covers_Members_Created_Later()
    {
        Assert.Equal(201, (int)(await SendAsync(Client, "MKCOL", "project/")).StatusCode);
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "project/existing.txt", [1])).StatusCode);
        var lockBody = LockInfo("exclusive");
        var locked = await SendAsync(Client, "LOCK", "project/", lockBody, ("Depth", "infinity"), ("Timeout", "Second-3600"));
        Assert.Equal(200, (int)locked.StatusCode);
        var token = LockTokenOf(locked);
        AssertActiveLock(await ActiveLockOfAsync(locked), "exclusive", "infinity", OwnerOf(lockBody), 3600, token, "project/");

        // Adding a member changes the locked folder: refused without the token ...
        await AssertLockedAsync(await PutBytesAsync(Other, "project/new.txt", [2]), "project/");
        await AssertLockedAsync(await SendAsync(Other, "MKCOL", "project/sub/"), "project/");
        Assert.Equal(404, (int)(await Other.GetAsync("project/new.txt")).StatusCode);

        // ... done with it (a tagged list naming the locked folder, as neon sends it).
        var put = await PutBytesAsync(Client, "project/new.txt", [3], ("If", $"<{Server.Url("project/").AbsoluteUri}> (<{token}>)"));
        Assert.Equal(201, (int)put.StatusCode);

        // The new member is covered by the same lock.
        AssertActiveLock(Assert.Single(await LockDiscoveryAsync(Other, "project/new.txt")), "exclusive", "infinity", OwnerOf(lockBody), 3600, token, "project/");
        await AssertLockedAsync(await PutBytesAsync(Other, "project/new.txt", [4]), "project/");
        await AssertLockedAsync(await PutBytesAsync(Other, "project/existing.txt", [4]), "project/");
        await AssertLockedAsync(await SendAsync(Other, "DELETE", "project/existing.txt"), "project/");
        Assert.Equal(new byte[] { 3 }, await Other.GetByteArrayAsync("project/new.txt"));

        Assert.Equal(204, (int)(await SendAsync(Client, "UNLOCK", "project/", null, ("Lock-Token", $"<{token}>"))).StatusCode);
        Assert.Equal(201, (int)(await PutBytesAsync(Other, "project/another.txt", [5])).StatusCode);
        Assert.Equal(204, (int)(await PutBytesAsync(Other, "project/new.txt", [6])).StatusCode);
    }

    [Fact]
    public async Task Move_Of_A_Locked_File_Needs_The_Token_And_Leaves_The_Lock_Behind()
    {
        var content = Bytes(2_000, seed: 51);
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "m.txt", content)).StatusCode);
        var token = await LockAsync("m.txt");

        await AssertLockedAsync(await SendAsync(Client, "MOVE", "m.txt", null, ("Destination", Href("moved.txt"))), "m.txt");
        Assert.Equal(content, await Client.GetByteArrayAsync("m.txt"));
        Assert.Equal(404, (int)(await Client.GetAsync("moved.txt")).StatusCode);

        var move = await SendAsync(Client, "MOVE", "m.txt", null, ("Destination", Href("moved.txt")), ("If", $"(<{token}>)"));
        Assert.Equal(201, (int)move.StatusCode);
        Assert.Equal(content, await Client.GetByteArrayAsync("moved.txt"));
        Assert.Equal(404, (int)(await Client.GetAsync("m.txt")).StatusCode);

        // Locks never travel: the destination is unlocked, and the old token is no lock of it.
        Assert.Empty(await LockDiscoveryAsync(Other, "moved.txt"));
        await AssertErrorAsync(await SendAsync(Client, "UNLOCK", "moved.txt", null, ("Lock-Token", $"<{token}>")), 409, "lock-token-matches-request-uri");
        Assert.Equal(204, (int)(await PutBytesAsync(Other, "moved.txt", [1])).StatusCode);
        Assert.Equal(201, (int)(await PutBytesAsync(Other, "m.txt", [2])).StatusCode);
    }

    [Fact]
    public async Task Copy_Of_A_Locked_File_Returns_201_And_The_Copy_Has_No_Lock()
    {
        var content = Bytes(2_000, seed: 61);
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "c.txt", content)).StatusCode);
        var token = await LockAsync("c.txt");

        // Reading the source needs no token.
        Assert.Equal(201, (int)(await SendAsync(Other, "COPY", "c.txt", null, ("Destination", Href("copy.txt")))).StatusCode);
        Assert.Equal(content, await Other.GetByteArrayAsync("copy.txt"));
        Assert.Empty(await LockDiscoveryAsync(Other, "copy.txt"));
        Assert.Equal(204, (int)(await PutBytesAsync(Other, "copy.txt", [1])).StatusCode);

        // The source keeps its lock, and as a destination it is protected by it.
        Assert.Equal(token, Assert.Single(await LockDiscoveryAsync(Other, "c.txt")).Element(D + "locktoken")?.Element(D + "href")?.Value);
        await AssertLockedAsync(await PutBytesAsync(Other, "c.txt", [2]), "c.txt");
        await AssertLockedAsync(await SendAsync(Other, "COPY", "copy.txt", null, ("Destination", Href("c.txt"))), "c.txt");
        Assert.Equal(content, await Other.GetByteArrayAsync("c.txt"));
    }

    [Fact]
    public async Task If_Header_With_A_Token_That_Is_Not_The_Files_Returns_412()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "plain.txt", [1, 2])).StatusCode);
        var put = await PutBytesAsync(Client, "plain.txt", [3], ("If", $"(<{NoSuchToken}>)"));
        Assert.Equal(412, (int)put.StatusCode);
        Assert.Equal(new byte[] { 1, 2 }, await Client.GetByteArrayAsync("plain.txt"));
    }

    [Fact]
    public async Task Malformed_If_Header_Returns_400()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "bad.txt", [1])).StatusCode);
        foreach (var value in new[] { $"(<{NoSuchToken}>", $"<{NoSuchToken}>", "garbage", "()", "(Not)", $"(<{NoSuchToken}>) <" })
        {
            var put = await PutBytesAsync(Client, "bad.txt", [2], ("If", value));
            Assert.True((int)put.StatusCode == 400, $"If: {value} answered {(int)put.StatusCode}");
        }

        Assert.Equal(new byte[] { 1 }, await Client.GetByteArrayAsync("bad.txt"));
    }

    [Fact]
    public async Task A_Token_Anywhere_In_The_If_Header_Counts_As_Submitted()
    {
        Assert.Equal(201, (int)(await PutBytesAsync(Client, "t.txt", [1])).StatusCode);
        var token = await LockAsync("t.txt");

        // True, but without the token: still locked out.
        await AssertLockedAsync(await PutBytesAsync(Client, "t.txt", [2], ("If", "(Not <DAV:no-lock>)")), "t.txt");

        // The token's own list is false (the ETag does not match); the header is true through the other list.
        var put = await PutBytesAsync(Client, "t.txt", [3], ("If", $"(<{token}> [\"no-such-etag\"]) (Not <DAV:no-lock>)"));
        Assert.Equal(204, (int)put.StatusCode);
        Assert.Equal(new byte[] { 3 }, await Client.GetByteArrayAsync("t.txt"));
    }
}
