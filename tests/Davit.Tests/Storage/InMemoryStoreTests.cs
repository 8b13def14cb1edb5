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
    public async Task Files_Are_Not_Physical_Files()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));

        Assert.IsNotAssignableFrom<IPhysicalFile>(file);
        Assert.IsNotAssignableFrom<IPhysicalFile>(await store.GetFileAsync("a.txt"));
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

        await foreach (var item in (await store.GetFolderAsync("")).GetChildrenAsync([], CancellationToken.None))
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

        await file.CopyToAsync(root, "copy.txt", deep: true, new MultistatusErrors(), CancellationToken.None);
        await file.MoveToAsync(root, "moved.txt", new MultistatusErrors(), CancellationToken.None);

        Assert.NotEqual(file.ETag, (await store.GetFileAsync("copy.txt")).ETag);
        Assert.Equal(file.ETag, (await store.GetFileAsync("moved.txt")).ETag);
    }

    [Fact]
    public async Task A_Resolved_File_Keeps_Describing_And_Reading_The_Version_It_Was_Resolved_With()
    {
        await store.CreateFileAsync("a.txt", TestBytes.Utf8("old content"));
        var reader = await store.GetFileAsync("a.txt");
        var etag = reader.ETag;

        await (await store.GetFileAsync("a.txt")).WriteBytesAsync(TestBytes.Utf8("new"));

        Assert.Equal(etag, reader.ETag);
        Assert.Equal(11, reader.ContentLength);
        BytesAssert.Equal(TestBytes.Utf8("old content"), await reader.ReadAllBytesAsync());
        BytesAssert.Equal(TestBytes.Utf8("new"), await store.ReadFileAsync("a.txt"));
    }

    [Fact]
    public async Task Moved_Item_Stays_Usable()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await store.CreateFolderAsync("f");

        await file.MoveToAsync(await store.GetFolderAsync("f"), "b.txt", new MultistatusErrors(), CancellationToken.None);
        await file.WriteBytesAsync(TestBytes.Utf8("written after the move"));

        BytesAssert.Equal(TestBytes.Utf8("written after the move"), await store.ReadFileAsync("f/b.txt"));
    }

    [Fact]
    public async Task Client_Content_Type_Is_Kept_By_Partial_Writes_And_Dropped_By_A_Whole_Rewrite_Without_One()
    {
        var root = await store.GetFolderAsync("");
        var file = await root.CreateFileAsync("a.txt", new MemoryStream(TestBytes.Utf8("a")), "application/x-custom", 1, CancellationToken.None);
        Assert.Equal("application/x-custom", file.ContentType);

        await file.WriteBytesAsync(TestBytes.Utf8("b"), startIndex: 1);
        Assert.Equal("application/x-custom", (await store.GetFileAsync("a.txt")).ContentType);

        await file.WriteBytesAsync(TestBytes.Utf8("c"));
        Assert.Equal("text/plain", (await store.GetFileAsync("a.txt")).ContentType);
    }

    [Fact]
    public async Task Operations_On_A_Deleted_Item_Throw_404()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await (await store.GetFileAsync("a.txt")).DeleteAsync(new MultistatusErrors(), CancellationToken.None);

        await AssertStatusAsync(404, async () => await file.WriteBytesAsync(TestBytes.Utf8("b")));
        await AssertStatusAsync(404, async () => await file.SetPropertiesAsync(new XElement(Color, "red")));
        await AssertStatusAsync(404, async () => await file.DeleteAsync(new MultistatusErrors(), CancellationToken.None));
        Assert.Null(await store.GetAsync("a.txt"));
    }

    [Fact]
    public async Task Creating_In_A_Deleted_Folder_Throws_409()
    {
        var folder = await store.CreateFolderAsync("f");
        await (await store.GetFolderAsync("f")).DeleteAsync(new MultistatusErrors(), CancellationToken.None);

        await AssertStatusAsync(409, async () => await folder.CreateFolderAsync("g", CancellationToken.None));
        await AssertStatusAsync(409, async () => await folder.CreateFileAsync("a", Stream.Null, null, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Copy_Or_Move_Into_Its_Own_Subtree_Throws_403()
    {
        var folder = await store.CreateFolderAsync("f");
        var inner = await store.CreateFolderAsync("f/inner");

        await AssertStatusAsync(403, async () => await folder.CopyToAsync(inner, "loop", deep: true, new MultistatusErrors(), CancellationToken.None));
        await AssertStatusAsync(403, async () => await folder.MoveToAsync(inner, "loop", new MultistatusErrors(), CancellationToken.None));
        Assert.Equal(["inner"], await (await store.GetFolderAsync("f")).ListNamesAsync());
    }

    [Fact]
    public async Task Copy_Or_Move_Onto_An_Existing_Name_Throws_412()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await store.CreateFileAsync("b.txt", TestBytes.Utf8("b"));
        var root = await store.GetFolderAsync("");

        await AssertStatusAsync(412, async () => await file.CopyToAsync(root, "b.txt", deep: true, new MultistatusErrors(), CancellationToken.None));
        await AssertStatusAsync(412, async () => await file.MoveToAsync(root, "b.txt", new MultistatusErrors(), CancellationToken.None));
        BytesAssert.Equal(TestBytes.Utf8("b"), await store.ReadFileAsync("b.txt"));
    }

    [Fact]
    public async Task Copy_To_A_Folder_Of_Another_Store_Throws_403()
    {
        var file = await store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var elsewhere = await new InMemoryStore().GetFolderAsync("");

        await AssertStatusAsync(403, async () => await file.CopyToAsync(elsewhere, "a.txt", deep: true, new MultistatusErrors(), CancellationToken.None));
    }

    [Fact]
    public async Task Moving_The_Root_Throws_403()
    {
        await store.CreateFolderAsync("f");
        var root = await store.GetFolderAsync("");

        await AssertStatusAsync(403, async () => await root.MoveToAsync(await store.GetFolderAsync("f"), "root", new MultistatusErrors(), CancellationToken.None));
    }

    private static async Task AssertStatusAsync(int statusCode, Func<Task> action)
    {
        var exception = await Assert.ThrowsAnyAsync<DavException>(action);
        Assert.Equal(statusCode, exception.StatusCode);
    }
}
