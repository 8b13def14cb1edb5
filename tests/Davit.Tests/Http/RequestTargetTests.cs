using Davit.Http;

namespace Davit.Tests.Http;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/a/b?x=1", "/a/b", null)]
    [InlineData("http://host:8080/dav/x", "/dav/x", "host:8080")]
    [InlineData("HTTPS://host", "/", "host")]
    public void Extracts_The_Raw_Path(string target, string path, string? authority)
    {
        Assert.True(RequestTarget.TryGetRawPath(target, out var raw, out var auth));
        Assert.Equal(path, raw.ToString());
        Assert.Equal(authority, auth);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("relative/path")]
    [InlineData("ftp://host/x")]
    [InlineData("/frag/#ment")]
    [InlineData("http://host/a#b")]
    public void Refuses_Other_Forms(string target)
    {
        Assert.False(RequestTarget.TryGetRawPath(target, out _, out _));
    }
}
