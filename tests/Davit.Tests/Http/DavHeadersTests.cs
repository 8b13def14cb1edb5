using Davit.Http;

namespace Davit.Tests.Http;

public sealed class DavHeadersTests
{
    [Theory]
    [InlineData(null, "Infinity")]
    [InlineData("0", "Zero")]
    [InlineData("1", "One")]
    [InlineData("infinity", "Infinity")]
    [InlineData(" Infinity ", "Infinity")]
    public void Parses_Depth(string? value, string expected)
    {
        Assert.True(DavHeaders.TryParseDepth(value, Depth.Infinity, out var depth));
        Assert.Equal(expected, depth.ToString());
    }

    [Theory]
    [InlineData("2")]
    [InlineData("")]
    [InlineData("infinite")]
    [InlineData("-1")]
    public void Refuses_Bad_Depth(string value)
    {
        Assert.False(DavHeaders.TryParseDepth(value, Depth.Infinity, out _));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("T", true)]
    [InlineData("F", false)]
    [InlineData("f", false)]
    public void Parses_Overwrite(string? value, bool expected)
    {
        Assert.True(DavHeaders.TryParseOverwrite(value, out var overwrite));
        Assert.Equal(expected, overwrite);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("")]
    [InlineData("TF")]
    public void Refuses_Bad_Overwrite(string value)
    {
        Assert.False(DavHeaders.TryParseOverwrite(value, out _));
    }
}
