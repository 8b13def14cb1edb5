using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Write_At_StartIndex_Keeps_Prefix_And_Tail()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("0123456789"));

        await file.WriteBytesAsync(TestBytes.Utf8("ab"), startIndex: 3);

        Assert.Equal(10, file.ContentLength);
        await AssertContentAsync("a.txt", TestBytes.Utf8("012ab56789"));
    }

    [Fact]
    public async Task Write_At_StartIndex_Past_The_Old_End_Extends_The_Content()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("01234"));

        await file.WriteBytesAsync(TestBytes.Utf8("abcdef"), startIndex: 3);

        Assert.Equal(9, file.ContentLength);
        await AssertContentAsync("a.txt", TestBytes.Utf8("012abcdef"));
    }

    [Fact]
    public async Task Write_At_StartIndex_Equal_To_Length_Appends()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("01234"));

        await file.WriteBytesAsync(TestBytes.Utf8("56789"), startIndex: 5);

        await AssertContentAsync("a.txt", TestBytes.Utf8("0123456789"));
    }

    [Fact]
    public async Task Write_At_Zero_Replaces_The_Whole_Content()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("0123456789"));

        await file.WriteBytesAsync(TestBytes.Utf8("ab"), startIndex: 0);

        Assert.Equal(2, file.ContentLength);
        await AssertContentAsync("a.txt", TestBytes.Utf8("ab"));
    }

    [Fact]
    public async Task Write_Beyond_Length_Throws_412_And_Leaves_The_Content_Intact()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("01234"));
        var etag = file.ETag;

        await AssertStatusAsync(412, async () => await file.WriteBytesAsync(TestBytes.Utf8("x"), startIndex: 6));

        Assert.Equal(etag, file.ETag);
        await AssertContentAsync("a.txt", TestBytes.Utf8("01234"));
    }

    [Fact]
    public async Task Write_Of_An_Empty_Body_At_StartIndex_Keeps_Every_Byte()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("0123456789"));

        await file.WriteAsync(Stream.Null, null, 4, -1, CancellationToken.None);

        await AssertContentAsync("a.txt", TestBytes.Utf8("0123456789"));
    }

    [Fact]
    public async Task Write_At_StartIndex_Across_64KiB_Boundaries_Keeps_Every_Other_Byte()
    {
        var expected = TestBytes.Random(300_000, seed: 1);
        var file = await Store.CreateFileAsync("a.bin", expected);
        var first = TestBytes.Random(100_000, seed: 2);
        var second = TestBytes.Random(10, seed: 3);

        await file.WriteBytesAsync(first, startIndex: 65_000);
        await file.WriteBytesAsync(second, startIndex: 131_070);

        first.CopyTo(expected, 65_000);
        second.CopyTo(expected, 131_070);
        await AssertContentAsync("a.bin", expected);
    }

    [Fact]
    public async Task Many_Appends_Build_The_Whole_Content()
    {
        var expected = TestBytes.Random(40 * 5_003, seed: 1);
        var file = await Store.CreateFileAsync("a.bin", []);

        for (var i = 0; i < 40; i++)
        {
            await file.WriteBytesAsync(expected.AsSpan(i * 5_003, 5_003).ToArray(), startIndex: file.ContentLength);
        }

        await AssertContentAsync("a.bin", expected);
    }

    [Fact]
    public async Task Many_Small_Writes_Inside_The_Content_Keep_It_Byte_Exact()
    {
        var expected = TestBytes.Random(150_000, seed: 1);
        await Store.CreateFileAsync("a.bin", expected);
        var random = new Random(7);

        for (var i = 0; i < 200; i++)
        {
            var piece = TestBytes.Random(random.Next(1, 9), seed: i);
            var at = random.Next(0, expected.Length - piece.Length + 1);
            await (await Store.GetFileAsync("a.bin")).WriteBytesAsync(piece, startIndex: at);
            piece.CopyTo(expected, at);
        }

        await AssertContentAsync("a.bin", expected);
    }
}
