using System.Text;
using Davit.Http;

namespace Davit.Tests.Http;

public sealed class PathCodecTests
{
    [Theory]
    [InlineData("/a/b", new[] { "a", "b" })]
    [InlineData("/", new string[0])]
    [InlineData("//a///b/", new[] { "a", "b" })]
    [InlineData("/put%23test", new[] { "put#test" })]
    [InlineData("/with%20space/100%25", new[] { "with space", "100%" })]
    [InlineData("/a+b", new[] { "a+b" })]
    [InlineData("/res-%e2%82%ac", new[] { "res-\u20ac" })]
    [InlineData("/%C3%A9", new[] { "\u00e9" })]
    [InlineData("/e%CC%81", new[] { "e\u0301" })]
    public void Decodes_Segments_Exactly(string raw, string[] expected)
    {
        var segments = new List<string>();
        Assert.True(PathCodec.TryDecodeSegments(raw, segments));
        Assert.Equal(expected, segments);
    }

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("/a/%2e%2e/b")]
    [InlineData("/%2E%2E")]
    [InlineData("/a/./b")]
    [InlineData("/a%2Fb")]
    [InlineData("/a%5Cb")]
    [InlineData("/a\\b")]
    [InlineData("/a%00b")]
    [InlineData("/bad%zz")]
    [InlineData("/bad%2")]
    [InlineData("/%C3%28")]
    [InlineData("/%FF")]
    public void Refuses_Segments_That_Could_Escape_Or_Are_Malformed(string raw)
    {
        Assert.False(PathCodec.TryDecodeSegments(raw, []));
    }

    [Theory]
    [InlineData("plain.txt", "plain.txt")]
    [InlineData("put#test", "put%23test")]
    [InlineData("with space", "with%20space")]
    [InlineData("100%", "100%25")]
    [InlineData("a+b", "a+b")]
    [InlineData("q?x", "q%3Fx")]
    [InlineData("\u00e9", "%C3%A9")]
    [InlineData("e\u0301", "e%CC%81")]
    [InlineData("\U0001F600", "%F0%9F%98%80")]
    public void Encodes_Segments_So_They_Decode_Back(string segment, string expected)
    {
        var builder = new StringBuilder();
        PathCodec.AppendEncoded(builder, segment);
        Assert.Equal(expected, builder.ToString());
        Assert.True(PathCodec.TryDecode(builder.ToString(), out var back));
        Assert.Equal(segment, back);
    }
}
