using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task ETag_Is_Not_Empty_And_Uses_Only_Entity_Tag_Characters()
    {
        var root = await Store.GetFolderAsync("");
        var empty = await root.CreateFileAsync("empty", FileContent.FromStream(Stream.Null, 0, null), CancellationToken.None);
        var full = await Store.CreateFileAsync("full", TestBytes.Random(1000));
        await full.WriteBytesAsync(TestBytes.Random(10));

        foreach (var etag in new[] { empty.ETag, full.ETag, (await Store.GetFileAsync("full")).ETag })
        {
            Assert.False(string.IsNullOrEmpty(etag));

            // RFC 9110 §8.8.3: etagc = %x21 / %x23-7E / obs-text; no quote, no space, no control character.
            Assert.All(etag, c => Assert.True(IsETagCharacter(c), $"'{etag}' holds U+{(int)c:X4}."));
            Assert.False(etag.StartsWith("W/", StringComparison.Ordinal), $"'{etag}' is weak.");
        }
    }

    private static bool IsETagCharacter(char c) => c == '!' || c is >= '#' and <= '~' || c is >= '\u0080' and <= '\u00FF';

    [Fact]
    public async Task ETag_Changes_When_Content_Changes_With_The_Same_Length()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("aaaa"));
        var first = file.ETag;

        await file.WriteBytesAsync(TestBytes.Utf8("bbbb"));
        var second = file.ETag;
        await file.WriteBytesAsync(TestBytes.Utf8("cccc"));
        var third = file.ETag;

        Assert.Equal(3, new HashSet<string>([first, second, third], StringComparer.Ordinal).Count);
        Assert.Equal(third, (await Store.GetFileAsync("a.txt")).ETag);
    }

    [Fact]
    public async Task ETag_Changes_On_Every_One_Of_Many_Quick_Writes_Of_Equal_Length()
    {
        var file = await Store.CreateFileAsync("counter.bin", BitConverter.GetBytes(0L));
        var seen = new HashSet<string>(StringComparer.Ordinal) { file.ETag };

        for (var i = 1L; i <= 50; i++)
        {
            await file.WriteBytesAsync(BitConverter.GetBytes(i));

            Assert.True(seen.Add(file.ETag), $"Write {i} reused the entity tag {file.ETag}.");
        }
    }

    [Fact]
    public async Task ETag_Is_Stable_While_The_Content_Is_Unchanged()
    {
        var created = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("stable"));

        var first = await Store.GetFileAsync("a.txt");
        await first.SetPropertiesAsync(new XElement(XName.Get("p", "urn:test"), "v"));
        var second = await Store.GetFileAsync("a.txt");

        Assert.Equal(created.ETag, first.ETag);
        Assert.Equal(created.ETag, second.ETag);
    }
}
