using Davit.Http;
using Microsoft.Net.Http.Headers;

namespace Davit.Tests.Http;

public sealed class IfHeaderTests
{
    private const string Token1 = "urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2";
    private const string Token2 = "urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092";

    private static IfHeader Parse(string value)
    {
        Assert.True(IfHeader.TryParse(value, out var header), value);
        return header;
    }

    private static IfResourceState State(string? etag, params string[] tokens) =>
        new(etag is null ? null : new EntityTagHeaderValue(etag), tokens.ToHashSet());

    private static bool Eval(string value, IfResourceState requestState, Dictionary<string, IfResourceState>? tagged = null) =>
        IfEvaluator.Evaluate(Parse(value), tag => tag is null ? requestState : tagged?.GetValueOrDefault(tag) ?? IfResourceState.Unmapped);

    // RFC 4918 §10.4.6
    [Fact]
    public void Example_Token_And_ETag_Or_Another_ETag()
    {
        const string header = "(<" + Token1 + "> [\"I am an ETag\"]) ([\"I am another ETag\"])";
        var parsed = Parse(header);
        Assert.Equal(2, parsed.Lists.Count);
        Assert.Equal([Token1], parsed.SubmittedTokens);
        Assert.True(Eval(header, State("\"I am an ETag\"", Token1)));
        Assert.True(Eval(header, State("\"I am another ETag\"")));
        Assert.False(Eval(header, State("\"I am an ETag\"")));
        Assert.False(Eval(header, State("\"third\"", Token1)));
    }

    // RFC 4918 §10.4.7
    [Fact]
    public void Example_Not_Token_And_Token()
    {
        const string header = "(Not <" + Token1 + "> <" + Token2 + ">)";
        Assert.Equal([Token1, Token2], Parse(header).SubmittedTokens.Order(StringComparer.Ordinal));
        Assert.True(Eval(header, State(null, Token2)));
        Assert.False(Eval(header, State(null, Token1, Token2)));
        Assert.False(Eval(header, State(null)));
    }

    // RFC 4918 §10.4.8
    [Fact]
    public void Example_Token_Or_Not_NoLock_Is_Always_True()
    {
        const string header = "(<" + Token1 + ">) (Not <DAV:no-lock>)";
        Assert.True(Eval(header, State(null)));
        Assert.True(Eval(header, IfResourceState.Unmapped));
        Assert.Contains("DAV:no-lock", Parse(header).SubmittedTokens);
    }

    // RFC 4918 §10.4.9
    [Fact]
    public void Example_Tagged_List_With_A_Weak_ETag()
    {
        const string header = "</resource1> (<" + Token1 + "> [W/\"A weak ETag\"]) ([\"strong ETag\"])";
        var parsed = Parse(header);
        Assert.All(parsed.Lists, l => Assert.Equal("/resource1", l.ResourceTag));
        var resource1 = new Dictionary<string, IfResourceState> { ["/resource1"] = State("\"A weak ETag\"", Token1) };
        Assert.True(Eval(header, IfResourceState.Unmapped, resource1));
        Assert.False(Eval(header, State("\"strong ETag\"")), "Tagged lists do not apply to the request URL.");
        Assert.True(Eval(header, IfResourceState.Unmapped, new() { ["/resource1"] = State("\"strong ETag\"") }));
    }

    // RFC 4918 §10.4.10
    [Fact]
    public void Example_Absolute_Uri_Tag()
    {
        const string header = "<http://www.example.com/specs/> (<" + Token1 + ">)";
        Assert.Equal("http://www.example.com/specs/", Parse(header).Lists.Single().ResourceTag);
        Assert.True(Eval(header, IfResourceState.Unmapped, new() { ["http://www.example.com/specs/"] = State(null, Token1) }));
    }

    // RFC 4918 §10.4.11 and §10.4.12
    [Fact]
    public void Example_ETag_And_Not_ETag_On_A_Tagged_Resource()
    {
        var doc = new Dictionary<string, IfResourceState> { ["/specs/rfc2518.doc"] = State("\"4217\"") };
        Assert.True(Eval("</specs/rfc2518.doc> ([\"4217\"])", IfResourceState.Unmapped, doc));
        Assert.False(Eval("</specs/rfc2518.doc> (Not [\"4217\"])", IfResourceState.Unmapped, doc));
        Assert.True(Eval("</specs/rfc2518.doc> (Not [\"4217\"])", IfResourceState.Unmapped));
    }

    // litmus cond_put_corrupt_token: true as a header, yet the real token is not among the submitted ones.
    [Fact]
    public void A_Corrupt_Token_Is_Submitted_Even_When_The_Header_Holds()
    {
        const string header = "(<" + Token1 + "x>) (Not <DAV:no-lock>)";
        Assert.True(Eval(header, State(null, Token1)));
        Assert.DoesNotContain(Token1, Parse(header).SubmittedTokens);
    }

    [Fact]
    public void Several_Tags_Each_With_Lists()
    {
        var parsed = Parse("</a> (<" + Token1 + ">) </b> ([\"x\"]) ([\"y\"])");
        Assert.Equal(["/a", "/b", "/b"], parsed.Lists.Select(l => l.ResourceTag));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("()")]
    [InlineData("(<urn:x>")]
    [InlineData("<urn:x>")]
    [InlineData("(urn:x)")]
    [InlineData("([unterminated)")]
    [InlineData("([\"a\"] junk)")]
    [InlineData("(<urn:x>) </tag> (<urn:y>)")]
    [InlineData("</tag>")]
    [InlineData("(Not)")]
    [InlineData("(<>)")]
    [InlineData("(<a b>)")]
    [InlineData("x (<urn:x>)")]
    public void Malformed_Headers_Are_Refused(string value)
    {
        Assert.False(IfHeader.TryParse(value, out _));
    }

    [Fact]
    public void An_Unmapped_Resource_Fails_Token_And_ETag_Conditions()
    {
        Assert.False(Eval("(<" + Token1 + ">)", IfResourceState.Unmapped));
        Assert.False(Eval("([\"a\"])", IfResourceState.Unmapped));
        Assert.True(Eval("(Not [\"a\"])", IfResourceState.Unmapped));
    }

    [Theory]
    [InlineData(null, "Infinite", "00:10:00")]
    [InlineData("Second-3600", "Infinite", "01:00:00")]
    [InlineData("Infinite, Second-4100000000", "Infinite", "Infinite")]
    [InlineData("Infinite", "02:00:00", "02:00:00")]
    [InlineData("Second-99999", "01:00:00", "01:00:00")]
    [InlineData("Second-x, Second-30", "Infinite", "00:00:30")]
    [InlineData("bogus", "Infinite", "00:10:00")]
    [InlineData("Second-4294967295", "Infinite", "49710.06:28:15")]
    public void Timeout_Takes_The_First_Usable_Value_Capped(string? header, string maximum, string expected)
    {
        static TimeSpan Read(string s) => s == "Infinite" ? Timeout.InfiniteTimeSpan : TimeSpan.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Read(expected), TimeoutHeader.Choose(header, TimeSpan.FromMinutes(10), Read(maximum)));
    }
}
