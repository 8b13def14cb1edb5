using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task CreateFile_Then_Read_Returns_Same_Bytes()
    {
        var body = TestBytes.Utf8("Hello, WebDAV! Grüße 😀");

        var created = await Store.CreateFileAsync("hello.txt", body);

        Assert.Equal("hello.txt", created.Name);
        Assert.Equal(DavPath.Parse("hello.txt"), created.Path);
        Assert.Equal(body.Length, created.ContentLength);
        BytesAssert.Equal(body, await created.ReadAllBytesAsync());
        await AssertContentAsync("hello.txt", body);
    }

    [Fact]
    public async Task CreateFile_With_3MiB_Random_Body_Reads_Back_Byte_Exact()
    {
        var body = TestBytes.Random(3 * 1024 * 1024, seed: 3);

        await Store.CreateFileAsync("big.bin", body);

        await AssertContentAsync("big.bin", body);
    }

    [Fact]
    public async Task CreateFile_With_Empty_Body_Has_Zero_Length_And_Reads_Nothing()
    {
        var root = await Store.GetFolderAsync("");

        var created = await root.CreateFileAsync("empty.txt", FileContent.FromStream(Stream.Null, 0, null), CancellationToken.None);

        Assert.Equal(0, created.ContentLength);
        var file = await Store.GetFileAsync("empty.txt");
        Assert.Equal(0, file.ContentLength);
        Assert.Empty(await file.ReadRangeAsync(0, 0));
    }

    [Fact]
    public async Task CreateFile_With_Unknown_Total_Length_Stores_The_Whole_Body()
    {
        var body = TestBytes.Random(70_001, seed: 4);
        var root = await Store.GetFolderAsync("");

        await root.CreateFileAsync("chunked.bin", FileContent.FromStream(new MemoryStream(body), null, null), CancellationToken.None);

        await AssertContentAsync("chunked.bin", body);
    }

    [Fact]
    public async Task CreateFile_From_A_Body_That_Arrives_In_Small_Reads_Stores_Every_Byte()
    {
        var body = TestBytes.Random(200_003, seed: 5);
        var root = await Store.GetFolderAsync("");

        await root.CreateFileAsync("trickle.bin", FileContent.FromStream(new TrickleStream(body, maxPerRead: 997), body.Length, null), CancellationToken.None);

        await AssertContentAsync("trickle.bin", body);
    }

    [Fact]
    public async Task ReadAsync_With_Offset_And_Count_Writes_Exactly_That_Slice()
    {
        var body = TestBytes.Random(200_001, seed: 6);
        await Store.CreateFileAsync("slices.bin", body);
        var file = await Store.GetFileAsync("slices.bin");
        (int Offset, int Count)[] ranges =
        [
            (0, 0), (0, 1), (0, body.Length), (body.Length - 1, 1), (body.Length, 0), (65_535, 2),
            (65_536, 65_536), (1_000, 150_000), (123_457, 7), (131_071, 65_538),
        ];

        foreach (var (offset, count) in ranges)
        {
            var slice = await file.ReadRangeAsync(offset, count);

            BytesAssert.Equal(body.AsSpan(offset, count), slice);
        }
    }

    [Fact]
    public async Task ContentLength_Matches_The_Bytes_Stored()
    {
        var created = await Store.CreateFileAsync("len.bin", TestBytes.Random(12_345));
        Assert.Equal(12_345, created.ContentLength);
        Assert.Equal(12_345, (await Store.GetFileAsync("len.bin")).ContentLength);

        await created.WriteBytesAsync(TestBytes.Random(10, seed: 2));

        Assert.Equal(10, created.ContentLength);
        Assert.Equal(10, (await Store.GetFileAsync("len.bin")).ContentLength);
    }

    [Theory]
    [InlineData("notes.txt", "text/plain")]
    [InlineData("page.html", "text/html")]
    [InlineData("picture.png", "image/png")]
    [InlineData("data.unknown-extension", "application/octet-stream")]
    [InlineData("no-extension", "application/octet-stream")]
    public async Task ContentType_Is_Derived_From_The_Extension_When_None_Is_Sent(string name, string expected)
    {
        var created = await Store.CreateFileAsync(name, TestBytes.Utf8("x"));

        Assert.Equal(expected, created.ContentType);
        Assert.Equal(expected, (await Store.GetFileAsync(name)).ContentType);
    }

    [Fact]
    public async Task Write_Replaces_The_Content_And_The_Same_Item_Describes_It()
    {
        var file = await Store.CreateFileAsync("a.bin", TestBytes.Random(100, seed: 1));
        var oldETag = file.ETag;
        var replacement = TestBytes.Random(10, seed: 2);

        await file.WriteBytesAsync(replacement);

        Assert.Equal(10, file.ContentLength);
        Assert.NotEqual(oldETag, file.ETag);
        BytesAssert.Equal(replacement, await file.ReadAllBytesAsync());
        var fresh = await Store.GetFileAsync("a.bin");
        Assert.Equal(file.ContentLength, fresh.ContentLength);
        Assert.Equal(file.ETag, fresh.ETag);
        BytesAssert.Equal(replacement, await fresh.ReadAllBytesAsync());
    }

    [Fact]
    public async Task Write_Of_A_Large_Body_Replaces_The_Content_Byte_Exact()
    {
        var file = await Store.CreateFileAsync("big.bin", TestBytes.Random(1_000_000, seed: 1));
        var replacement = TestBytes.Random(2_500_017, seed: 2);

        await file.WriteBytesAsync(replacement);

        await AssertContentAsync("big.bin", replacement);
    }

    [Fact]
    public async Task Children_Can_Be_Read_Like_Resolved_Files()
    {
        var body = TestBytes.Random(77_777, seed: 8);
        await Store.CreateFileAsync("child.bin", body);

        var child = Assert.IsAssignableFrom<IFile>(Assert.Single(await (await Store.GetFolderAsync("")).ListAsync()));

        Assert.Equal(body.Length, child.ContentLength);
        BytesAssert.Equal(body, await child.ReadAllBytesAsync());
    }
}
