using System.Xml.Linq;
using Davit.Conformance;
using Davit.Storage;
using Davit.Storage.Memory;

namespace Davit.Tests.Storage;

/// <summary>What the in-memory store promises beyond the conformance suite.</summary>
public sealed class InMemoryStoreTests
{
    private static readonly XName Color = XName.Get("color", "urn:davit:test");

    private readonly ManualTimeProvider clock = new();
    private readonly InMemoryStore store;

    public InMemoryStoreTests()
    {
        store = new InMemoryStore(clock);
    }

    [Fact]
    public async Task Children_Are_Listed_In_Ordinal_Name_Order()
    {
        string[] names = ["b", "B", "a", "\u00E9", "e\u0301", "Z", "_", "a b", "10", "9"];
        foreach (var name in names)
        {
            await store.CreateFileAsync(name, TestBytes.Utf8(name));
        }

        var listed = (await (await store.GetFolderAsync("")).ListAsync()).Select(i => i.Name);

        Assert.Equal(names.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task Listing_Is_A_Snapshot()
    {
        await store.CreateFileAsync("a", TestBytes.Utf8("a"));
        await store.CreateFileAsync("b", TestBytes.Utf8("b"));
        var seen = new List<string>();

        await foreach (var item in (await store.GetFolderAsync("")).GetChildrenAsync(PropertySelection.None, CancellationToken.None))
        {
            seen.Add(item.Name);
            await store.CreateFileAsync("c" + seen.Count, TestBytes.Utf8("added while listing"));
        }

        Assert.Equal(["a", "b"], seen);
    }

    [Fact]
    public async Task Times_Come_From_The_TimeProvider_And_Only_Content_Moves_ModifiedUtc()
    {
        var created = clock.GetUtcNow();
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        Assert.Equal(created, file.CreatedUtc);
        Assert.Equal(created, file.ModifiedUtc);

        clock.Advance(TimeSpan.FromMinutes(1));
        await file.SetPropertiesAsync(new XElement(Color, "red"));
        Assert.Equal(created, (await store.GetFileAsync("a.txt")).ModifiedUtc);

        clock.Advance(TimeSpan.FromMinutes(1));
        await file.WriteBytesAsync(TestBytes.Utf8("b"));
        var fresh = await store.GetFileAsync("a.txt");
        Assert.Equal(clock.GetUtcNow(), file.ModifiedUtc);
        Assert.Equal(clock.GetUtcNow(), fresh.ModifiedUtc);
        Assert.Equal(created, fresh.CreatedUtc);
    }

    [Fact]
    public async Task Folder_ModifiedUtc_Moves_When_Members_Change_But_Not_On_Property_Updates()
    {
        var folder = await store.CreateFolderAsync("f");
        var start = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromMinutes(1));
        await folder.SetPropertiesAsync(new XElement(Color, "red"));
        Assert.Equal(start, (await store.GetFolderAsync("f")).ModifiedUtc);

        clock.Advance(TimeSpan.FromMinutes(1));
        await store.CreateFileAsync("f/a.txt", TestBytes.Utf8("a"));
        Assert.Equal(clock.GetUtcNow(), (await store.GetFolderAsync("f")).ModifiedUtc);
        Assert.Equal(start, (await store.GetFolderAsync("f")).CreatedUtc);
    }

    [Fact]
    public async Task ETag_Changes_When_Identical_Bytes_Are_Rewritten_At_The_Same_Instant()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("same"));
        var first = file.ETag;

        await file.WriteBytesAsync(TestBytes.Utf8("same"));

        Assert.NotEqual(first, file.ETag);
    }

    [Fact]
    public async Task ETags_Of_Two_Stores_Differ()
    {
        var other = new InMemoryStore(clock);

        var mine = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var theirs = await other.CreateFileAsync("a.txt", TestBytes.Utf8("a"));

        Assert.NotEqual(mine.ETag, theirs.ETag);
    }

    [Fact]
    public async Task Copy_Gets_A_New_ETag_And_Move_Keeps_It()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var root = await store.GetFolderAsync("");

        await StoreTrees.CopyAsync(file, root, "copy.txt", true, null, new TreeErrors(), CancellationToken.None);
        await StoreTrees.MoveAsync(file, root, "moved.txt", null, new TreeErrors(), CancellationToken.None);

        Assert.NotEqual(file.ETag, (await store.GetFileAsync("copy.txt")).ETag);
        Assert.Equal(file.ETag, (await store.GetFileAsync("moved.txt")).ETag);
    }

    [Fact]
    public async Task A_Resolved_File_Keeps_Describing_Its_Version_And_An_Open_Reader_Keeps_Reading_It()
    {
        await store.CreateFileAsync("a.txt", TestBytes.Utf8("old content"));
        var resolved = await store.GetFileAsync("a.txt");
        var etag = resolved.ETag;
        await using var reader = await resolved.OpenReadAsync(CancellationToken.None);

        await (await store.GetFileAsync("a.txt")).WriteBytesAsync(TestBytes.Utf8("new"));

        Assert.Equal(etag, resolved.ETag);
        Assert.Equal(11, resolved.ContentLength);
        Assert.Equal(etag, reader.ETag);
        using var old = new MemoryStream();
        await reader.ReadAsync(old, 0, reader.Length, CancellationToken.None);
        BytesAssert.Equal(TestBytes.Utf8("old content"), old.ToArray());
        BytesAssert.Equal(TestBytes.Utf8("new"), await resolved.ReadAllBytesAsync());
    }

    [Fact]
    public async Task Moved_Item_Stays_Usable()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await store.CreateFolderAsync("f");

        await StoreTrees.MoveAsync(file, await store.GetFolderAsync("f"), "b.txt", null, new TreeErrors(), CancellationToken.None);
        await file.WriteBytesAsync(TestBytes.Utf8("written after the move"));

        BytesAssert.Equal(TestBytes.Utf8("written after the move"), await store.ReadFileAsync("f/b.txt"));
    }

    [Fact]
    public async Task Client_Content_Type_Is_Kept_And_Dropped_By_A_Rewrite_Without_One()
    {
        var root = await store.GetFolderAsync("");
        var file = await root.CreateFileAsync("a.txt", FileContent.FromStream(new MemoryStream(TestBytes.Utf8("a")), 1, "application/x-custom"), CancellationToken.None);
        Assert.Equal("application/x-custom", file.ContentType);
        Assert.Equal("application/x-custom", (await store.GetFileAsync("a.txt")).ContentType);

        await file.WriteBytesAsync(TestBytes.Utf8("c"));
        Assert.Equal("text/plain", (await store.GetFileAsync("a.txt")).ContentType);
    }

    [Fact]
    public async Task Operations_On_A_Deleted_Item_Throw_404()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await StoreTrees.DeleteAsync((await store.GetFileAsync("a.txt")), new TreeErrors(), CancellationToken.None);

        await AssertErrorAsync(StoreError.NotFound, async () => await file.WriteBytesAsync(TestBytes.Utf8("b")));
        await AssertErrorAsync(StoreError.NotFound, async () => await file.SetPropertiesAsync(new XElement(Color, "red")));
        await AssertErrorAsync(StoreError.NotFound, async () => await StoreTrees.DeleteAsync(file, new TreeErrors(), CancellationToken.None));
        Assert.Null(await store.GetAsync("a.txt"));
    }

    [Fact]
    public async Task Creating_In_A_Deleted_Folder_Reports_It_Gone()
    {
        var folder = await store.CreateFolderAsync("f");
        await StoreTrees.DeleteAsync((await store.GetFolderAsync("f")), new TreeErrors(), CancellationToken.None);

        await AssertErrorAsync(StoreError.NotFound, async () => await folder.CreateFolderAsync("g", CancellationToken.None));
        await AssertErrorAsync(StoreError.NotFound, async () => await folder.CreateFileAsync("a", FileContent.FromStream(Stream.Null, 0, null), CancellationToken.None));
    }

    [Fact]
    public async Task Copy_Or_Move_Into_Its_Own_Subtree_Throws_403()
    {
        var folder = await store.CreateFolderAsync("f");
        var inner = await store.CreateFolderAsync("f/inner");

        await AssertErrorAsync(StoreError.Forbidden, async () => await StoreTrees.CopyAsync(folder, inner, "loop", true, null, new TreeErrors(), CancellationToken.None));
        await AssertErrorAsync(StoreError.Forbidden, async () => await StoreTrees.MoveAsync(folder, inner, "loop", null, new TreeErrors(), CancellationToken.None));
        Assert.Equal(["inner"], await (await store.GetFolderAsync("f")).ListNamesAsync());
    }

    [Fact]
    public async Task Copy_Or_Move_Onto_An_Existing_Name_Without_Replacing_Reports_It_Exists()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await store.CreateFileAsync("b.txt", TestBytes.Utf8("b"));
        var root = await store.GetFolderAsync("");

        await AssertErrorAsync(StoreError.AlreadyExists, async () => await StoreTrees.CopyAsync(file, root, "b.txt", true, null, new TreeErrors(), CancellationToken.None));
        await AssertErrorAsync(StoreError.AlreadyExists, async () => await StoreTrees.MoveAsync(file, root, "b.txt", null, new TreeErrors(), CancellationToken.None));
        BytesAssert.Equal(TestBytes.Utf8("b"), await store.ReadFileAsync("b.txt"));
    }

    [Fact]
    public async Task Copy_To_A_Folder_Of_Another_Store_Goes_Through_The_Primitives()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await file.SetPropertiesAsync(new XElement(Color, "red"));
        var other = new InMemoryStore();

        await StoreTrees.CopyAsync(file, await other.GetFolderAsync(""), "a.txt", true, null, new TreeErrors(), CancellationToken.None);

        BytesAssert.Equal(TestBytes.Utf8("a"), await other.ReadFileAsync("a.txt"));
        Assert.Equal("red", (await (await other.GetFileAsync("a.txt")).GetPropertyAsync(Color))!.Element.Value);
    }

    [Fact]
    public async Task Moving_The_Root_Throws_403()
    {
        await store.CreateFolderAsync("f");
        var root = await store.GetFolderAsync("");

        await AssertErrorAsync(StoreError.Forbidden, async () => await StoreTrees.MoveAsync(root, await store.GetFolderAsync("f"), "root", null, new TreeErrors(), CancellationToken.None));
    }

    private static async Task AssertErrorAsync(StoreError error, Func<Task> action)
    {
        var exception = await Assert.ThrowsAnyAsync<StoreException>(action);
        Assert.Equal(error, exception.Error);
    }
}
