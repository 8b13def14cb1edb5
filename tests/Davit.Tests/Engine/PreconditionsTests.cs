using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Tests.Engine;

public sealed class PreconditionsTests
{
    private static readonly DateTimeOffset Modified = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Modified.AddHours(1);
    private static readonly FakeFile File = new("abc", Modified);

    private static PreconditionResult Evaluate(string method, FakeFile? item, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return Preconditions.Evaluate(context.Request, item is not null, item?.ETag, item?.ModifiedUtc, Now);
    }

    [Theory]
    [InlineData("\"abc\"", "Proceed")]
    [InlineData("\"x\", \"abc\"", "Proceed")]
    [InlineData("*", "Proceed")]
    [InlineData("\"other\"", "Failed")]
    [InlineData("W/\"abc\"", "Failed")]
    public void IfMatch_Uses_Strong_Comparison(string header, string expected)
    {
        Assert.Equal(expected, Evaluate("PUT", File, ("If-Match", header)).ToString());
    }

    [Fact]
    public void IfMatch_Star_On_A_Missing_Resource_Fails_So_Put_Updates_Only()
    {
        Assert.Equal(PreconditionResult.Failed, Evaluate("PUT", null, ("If-Match", "*")));
    }

    [Fact]
    public void IfNoneMatch_Star_On_An_Existing_Resource_Fails_So_Put_Creates_Only()
    {
        Assert.Equal(PreconditionResult.Failed, Evaluate("PUT", File, ("If-None-Match", "*")));
        Assert.Equal(PreconditionResult.Proceed, Evaluate("PUT", null, ("If-None-Match", "*")));
    }

    [Theory]
    [InlineData("GET", "\"abc\"", "NotModified")]
    [InlineData("HEAD", "W/\"abc\"", "NotModified")]
    [InlineData("GET", "\"other\"", "Proceed")]
    [InlineData("DELETE", "\"abc\"", "Failed")]
    public void IfNoneMatch_Uses_Weak_Comparison_And_Answers_304_Only_For_Get_And_Head(string method, string header, string expected)
    {
        Assert.Equal(expected, Evaluate(method, File, ("If-None-Match", header)).ToString());
    }

    [Theory]
    [InlineData("Fri, 02 Jan 2026 03:04:05 GMT", "NotModified")]
    [InlineData("Fri, 02 Jan 2026 03:04:04 GMT", "Proceed")]
    [InlineData("not a date", "Proceed")]
    public void IfModifiedSince_Answers_304_When_Not_Newer(string header, string expected)
    {
        Assert.Equal(expected, Evaluate("GET", File, ("If-Modified-Since", header)).ToString());
    }

    [Fact]
    public void IfModifiedSince_Is_Ignored_On_Put()
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate("PUT", File, ("If-Modified-Since", "Mon, 26 Jul 2100 05:00:00 GMT")));
    }

    [Fact]
    public void IfModifiedSince_Is_Ignored_When_IfNoneMatch_Is_Present()
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate("GET", File, ("If-None-Match", "\"other\""), ("If-Modified-Since", "Fri, 02 Jan 2026 03:04:05 GMT")));
    }

    [Theory]
    [InlineData("Fri, 02 Jan 2026 03:04:05 GMT", "Proceed")]
    [InlineData("Fri, 02 Jan 2026 03:04:04 GMT", "Failed")]
    public void IfUnmodifiedSince_Fails_When_Modified_Later(string header, string expected)
    {
        Assert.Equal(expected, Evaluate("PUT", File, ("If-Unmodified-Since", header)).ToString());
    }

    [Fact]
    public void IfMatch_Takes_Precedence_Over_IfUnmodifiedSince()
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate("PUT", File, ("If-Match", "\"abc\""), ("If-Unmodified-Since", "Thu, 01 Jan 2026 00:00:00 GMT")));
    }

    [Theory]
    [InlineData("\"abc\"", true)]
    [InlineData("\"old\"", false)]
    [InlineData("W/\"abc\"", false)]
    [InlineData("Fri, 02 Jan 2026 03:04:05 GMT", true)]
    [InlineData("Fri, 02 Jan 2026 03:04:06 GMT", false)]
    public void IfRange_Matches_By_Strong_ETag_Or_Exact_Date(string header, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.IfRange = header;
        Assert.Equal(expected, Preconditions.IfRangeMatches(context.Request, File, Now));
    }

    [Fact]
    public void IfRange_Date_Is_Not_A_Strong_Validator_Within_A_Second_Of_Now()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.IfRange = "Fri, 02 Jan 2026 03:04:05 GMT";
        Assert.False(Preconditions.IfRangeMatches(context.Request, File, Modified.AddMilliseconds(500)));
    }

    private sealed class FakeFile(string etag, DateTimeOffset modified) : IContentReader
    {
        public long Length => 3;

        public string ETag => etag;

        public DateTimeOffset ModifiedUtc => modified;

        public string ContentType => "text/plain";

        public ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
