using Davit.Engine.Methods;
using Microsoft.Net.Http.Headers;

namespace Davit.Tests.Engine;

public sealed class ContentDispositionTests
{
    // Plain names are put together directly; every name must get the value the header type writes, plain or not.
    [Theory]
    [InlineData("inline", "small.bin")]
    [InlineData("attachment", "Report_2026-11.v2.PDF")]
    [InlineData("inline", "a")]
    [InlineData("inline", "two words.txt")]
    [InlineData("inline", "quote\"d.txt")]
    [InlineData("inline", "semi;colon.txt")]
    [InlineData("attachment", "Übersicht.odt")]
    [InlineData("inline", "per%cent.txt")]
    [InlineData("inline", "star*.txt")]
    [InlineData("inline", "tab\there.txt")]
    [InlineData("inline", "日本語.txt")]
    [InlineData("inline", "")]
    public void Disposition_Is_What_The_Header_Type_Writes(string type, string name)
    {
        var expected = new ContentDispositionHeaderValue(type);
        expected.SetHttpFileName(name);
        Assert.Equal(expected.ToString(), ContentSender.Disposition(type, name));
    }
}
