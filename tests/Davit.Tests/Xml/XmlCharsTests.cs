using System.Text;
using System.Xml;
using System.Xml.Linq;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Tests.Xml;

public sealed class XmlCharsTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("tab\tnl\ncr\r", "tab\tnl\ncr\r")]
    [InlineData("a\u0017b", "a\uFFFDb")]
    [InlineData("\u0000\u001F", "\uFFFD\uFFFD")]
    [InlineData("\uFFFE\uFFFF\uFFFD", "\uFFFD\uFFFD\uFFFD")]
    [InlineData("pair \uD83D\uDE00 ok", "pair \uD83D\uDE00 ok")]
    public void Carryable_Replaces_Exactly_What_Xml_Forbids(string text, string expected)
    {
        Assert.Equal(expected, XmlChars.Carryable(text));
        Assert.Equal(text == expected, XmlChars.CanCarry(text));
    }

    // Not theory data: xUnit passes test data through UTF-8, which cannot hold a surrogate alone.
    [Fact]
    public void Carryable_Replaces_A_Surrogate_That_Is_Not_Half_Of_A_Pair()
    {
        foreach (var (text, expected) in new[] { ("lone \uD800 high", "lone \uFFFD high"), ("lone \uDC00 low", "lone \uFFFD low"), ("ends \uD83D", "ends \uFFFD"), ("\uDE00\uD83D", "\uFFFD\uFFFD") })
        {
            Assert.Equal(expected, XmlChars.Carryable(text));
            Assert.False(XmlChars.CanCarry(text));
            Assert.Equal(expected, XmlChars.PairedSurrogates(text));
        }

        Assert.Equal("keep \u0001 \uFFFE", XmlChars.PairedSurrogates("keep \u0001 \uFFFE"));
    }

    [Fact]
    public void The_Carrying_Writer_Writes_A_Well_Formed_Document_Whatever_The_Text()
    {
        var element = new XElement(XName.Get("p", "urn:x"),
            new XAttribute("a", "v\u0001\uFFFE"),
            "t\u0017\uD800",
            new XComment("c\u0002"),
            new XCData("d\u0003"),
            new XProcessingInstruction("pi", "e\u0004"));
        var buffer = new MemoryStream();
        using (var writer = new CarryingXmlWriter(XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) })))
        {
            writer.WriteStartElement("root");
            element.WriteTo(writer);
            writer.WriteStartElement("e");
            writer.WriteCharEntity('\u0005');
            writer.WriteString("f\u0006");
            writer.WriteChars(['g', '\u0007'], 0, 2);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        var read = XElement.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
        var p = read.Element(XName.Get("p", "urn:x"))!;
        Assert.Equal("v\uFFFD\uFFFD", p.Attribute("a")!.Value);
        Assert.Equal("t\uFFFD\uFFFD", p.Nodes().OfType<XText>().First(t => t is not XCData).Value);
        Assert.Equal("c\uFFFD", p.Nodes().OfType<XComment>().Single().Value);
        Assert.Equal("d\uFFFD", p.Nodes().OfType<XCData>().Single().Value);
        Assert.Equal("e\uFFFD", p.Nodes().OfType<XProcessingInstruction>().Single().Data);
        Assert.Equal("\uFFFDf\uFFFDg\uFFFD", read.Element("e")!.Value);
    }

    [Fact]
    public void A_Dead_Property_Holding_Forbidden_Characters_Round_Trips_Through_Its_Stored_Text()
    {
        var property = new DeadProperty(new XElement(XName.Get("note", "urn:x"), new XAttribute("k", "\u0001"), "a\u0017b\uFFFE"));
        var stored = property.ToXml();
        Assert.Equal("<note k=\"&#x1;\" xmlns=\"urn:x\">a&#x17;b&#xFFFE;</note>", stored);
        var back = DeadProperty.Parse(stored);
        Assert.Equal("a\u0017b\uFFFE", back.Element.Value);
        Assert.Equal("\u0001", back.Element.Attribute("k")!.Value);
        Assert.Equal("\uFFFD", DeadProperty.Parse(new DeadProperty(new XElement("s", "\uD800")).ToXml()).Element.Value);
        Assert.Equal("raw\uFFFD", DeadProperty.Parse("<r>raw\u0002</r>").Element.Value);
        Assert.Throws<XmlException>(() => DeadProperty.Parse("<unclosed"));
    }

    [Fact]
    public void A_Segment_With_A_Lone_Surrogate_Is_No_Valid_Name()
    {
        Assert.True(DavPath.IsValidSegment("ok"));
        Assert.True(DavPath.IsValidSegment("emoji \uD83D\uDE00"));
        Assert.True(DavPath.IsValidSegment("a\u0017b"));
        Assert.False(DavPath.IsValidSegment("lone \uD800"));
        Assert.False(DavPath.IsValidSegment("\uDC00"));
        Assert.False(DavPath.IsValidSegment("\uDE00\uD83D"));
    }
}
