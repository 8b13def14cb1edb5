using System.Text;
using System.Xml;
using System.Xml.Linq;
using Davit.Xml;

namespace Davit.Tests.Xml;

/// <summary>
/// The 207's own writer must write exactly the bytes the standard XmlWriter (UTF-8, fragment, duplicate namespace
/// declarations omitted, behind <see cref="CarryingXmlWriter"/>) wrote before it, for every kind of text and stored
/// XML a 207 carries: clients parse these bodies, and tests elsewhere compare them. Each case is written by both, in
/// one document after another through the same writers, as the pooled writers are used.
/// </summary>
public sealed class Utf8MultistatusXmlWriterTests
{
    private static readonly XmlWriterSettings Reference = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CloseOutput = false,
        ConformanceLevel = ConformanceLevel.Fragment,
        NamespaceHandling = NamespaceHandling.OmitDuplicates,
    };

    public static TheoryData<string> StoredXml() =>
    [
        "<x xmlns=\"urn:x\">plain</x>",
        "<x:color xmlns:x=\"urn:x\">red &amp; &lt;blue&gt; \"quoted\" 'single'</x:color>",
        "<D:displayname xmlns:D=\"DAV:\">same prefix</D:displayname>",
        "<displayname xmlns=\"DAV:\">default DAV:</displayname>",
        "<D:thing xmlns:D=\"urn:not-dav\"><D:inner/></D:thing>",
        "<empty/>",
        "<e xmlns=\"\"/>",
        "<a:b xmlns:a=\"urn:a\" a:attr=\"v&quot;&lt;&amp;\" plain=\"x&#9;y&#10;z&#13;\"><a:c xmlns:a=\"urn:other\"/></a:b>",
        "<p xmlns=\"urn:p\" xml:lang=\"de-CH\">Grüße</p>",
        "<n xmlns=\"urn:n\"><!-- a comment --><![CDATA[<raw> & ]]><?pi some text?> <m>mixed <b>bold</b> tail</m></n>",
        "<w xmlns=\"urn:w\">  \r\n\t  </w>",
        "<s xmlns=\"urn:s\">line\r\nnext\rand\nlast</s>",
        "<u xmlns=\"urn:u\">日本語 😀 ☃ \u00A0\u0085\u2028</u>",
        "<c xmlns=\"urn:c\">&#1;&#x1F;&#xFFFE; forbidden references</c>",
        "<D:owner xmlns:D=\"DAV:\"><D:href>mailto:someone@example.com</D:href></D:owner>",
        "<q xmlns=\"urn:q\" xmlns:z=\"urn:z\" z:at=\"1\"><z:child xmlns=\"urn:q2\"><grand/></z:child></q>",
    ];

    [Theory]
    [MemberData(nameof(StoredXml))]
    public void Stored_Xml_Is_Written_As_The_Standard_Writer_Writes_It(string xml)
    {
        var element = XmlChars.ParseStored(xml)!;
        AssertSame(w =>
        {
            w.WriteStartElement("D", "prop", "DAV:");
            element.WriteTo(w);
            element.WriteTo(w);
            w.WriteElementString("D", "getetag", "DAV:", "\"e\"");
            w.WriteEndElement();
        });
    }

    [Fact]
    public void Every_Character_Is_Written_As_The_Standard_Writer_Writes_It()
    {
        var every = new StringBuilder();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            every.Append((char)c);
        }

        // One character alone, and all of them in one text (surrogates then stand in pairs and alone).
        AssertSame(w =>
        {
            for (var c = 0; c <= 0xFFFF; c++)
            {
                w.WriteElementString("D", "displayname", "DAV:", ((char)c).ToString());
            }

            w.WriteElementString("D", "displayname", "DAV:", every.ToString());
            w.WriteElementString("D", "displayname", "DAV:", "\uD83D\uDE00 pair, \uDE00\uD83D reversed, \uD83D alone at the end\uD83D");
        });
    }

    [Fact]
    public void Elements_Text_And_Names_In_Other_Namespaces_Are_Written_As_The_Standard_Writer_Writes_Them()
    {
        AssertSame(w =>
        {
            w.WriteStartElement("D", "response", "DAV:");
            w.WriteElementString("D", "href", "DAV:", "/a%20b/c&d<e>f");
            w.WriteStartElement("D", "propstat", "DAV:");
            w.WriteStartElement("D", "prop", "DAV:");
            w.WriteElementString("D", "empty", "DAV:", string.Empty);
            w.WriteElementString("D", "null", "DAV:", null);
            w.WriteStartElement("D", "resourcetype", "DAV:");
            w.WriteElementString("D", "collection", "DAV:", null);
            w.WriteEndElement();
            w.WriteStartElement("D", "full", "DAV:");
            w.WriteFullEndElement();
            w.WriteStartElement("D", "textthenend", "DAV:");
            w.WriteString(string.Empty);
            w.WriteEndElement();
            w.WriteStartElement(null, "noprefix", "DAV:");
            w.WriteEndElement();
            w.WriteStartElement(string.Empty, "defaultdav", "DAV:");
            w.WriteEndElement();
            w.WriteStartElement("D", "otherns", "urn:other");
            w.WriteEndElement();
            w.WriteStartElement("oc", "checksums", "http://owncloud.org/ns");
            w.WriteElementString("oc", "checksum", "http://owncloud.org/ns", "SHA1:ab MD5:cd");
            w.WriteEndElement();
            w.WriteStartElement("color", "urn:x");
            w.WriteEndElement();
            w.WriteStartElement("color", string.Empty);
            w.WriteEndElement();
            w.WriteStartElement("D", "name-with.dots_and-1", "DAV:");
            w.WriteString("a");
            w.WriteString("b]]>c");
            w.WriteEndElement();
            w.WriteStartElement("D", "mixed", "DAV:");
            w.WriteString("before ");
            w.WriteElementString("inner", "urn:i", "x");
            w.WriteString(" after\r\n");
            w.WriteComment("note");
            w.WriteEndElement();
            w.WriteElementString("bytes-uploaded", "ithit", "12");
            w.WriteEndElement();
            w.WriteElementString("D", "status", "DAV:", "HTTP/1.1 200 OK");
            w.WriteEndElement();
            w.WriteEndElement();
        });
    }

    private static void AssertSame(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using var reference = new CarryingXmlWriter(XmlWriter.Create(stream, Reference));
        using var writer = new Utf8MultistatusXmlWriter();
        for (var document = 0; document < 2; document++)
        {
            foreach (var w in new XmlWriter[] { reference, writer })
            {
                w.WriteStartElement("D", "multistatus", "DAV:");
                body(w);
                w.WriteEndElement();
            }

            reference.Flush();
            var expected = Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
            Assert.Equal(expected, Encoding.UTF8.GetString(writer.Written.Span));
            Assert.Equal(WriteState.Start, writer.WriteState);
            stream.SetLength(0);
            writer.Clear();
        }
    }
}
