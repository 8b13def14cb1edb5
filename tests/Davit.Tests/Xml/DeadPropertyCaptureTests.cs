using System.Text;
using System.Xml.Linq;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Tests.Xml;

public sealed class DeadPropertyCaptureTests
{
    private static DeadProperty CaptureOnly(string xml) =>
        ProppatchRequest.Parse(XmlRequestReader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), 100)).Single().Value!;

    [Fact]
    public void Keeps_The_Prefix_Declared_On_An_Ancestor()
    {
        var property = CaptureOnly("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"http://ns.example/\"><D:set><D:prop><Z:author>Ann</Z:author></D:prop></D:set></D:propertyupdate>");
        var stored = DeadProperty.Parse(property.ToXml());
        Assert.Equal(XName.Get("author", "http://ns.example/"), stored.Name);
        Assert.Equal("<Z:author xmlns:Z=\"http://ns.example/\">Ann</Z:author>", property.ToXml());
    }

    [Fact]
    public void Keeps_The_Inherited_Default_Namespace()
    {
        var property = CaptureOnly("<propertyupdate xmlns=\"DAV:\"><set><prop><custom>v</custom></prop></set></propertyupdate>");
        Assert.Equal(XName.Get("custom", "DAV:"), DeadProperty.Parse(property.ToXml()).Name);
    }

    [Fact]
    public void Keeps_XmlLang_From_An_Ancestor()
    {
        var property = CaptureOnly("<D:propertyupdate xmlns:D=\"DAV:\"><D:set xml:lang=\"de-CH\"><D:prop><x xmlns=\"urn:x\">Grüezi</x></D:prop></D:set></D:propertyupdate>");
        Assert.Equal("de-CH", DeadProperty.Parse(property.ToXml()).Element.Attribute(XNamespace.Xml + "lang")?.Value);
    }

    [Fact]
    public void Keeps_The_Empty_Namespace()
    {
        var property = CaptureOnly("<propertyupdate xmlns=\"DAV:\"><set><prop><nonamespace xmlns=\"\">randomvalue</nonamespace></prop></set></propertyupdate>");
        var stored = DeadProperty.Parse(property.ToXml());
        Assert.Equal(XName.Get("nonamespace"), stored.Name);
        Assert.Equal("randomvalue", stored.Element.Value);
    }

    [Fact]
    public void Keeps_Nested_Xml_And_Characters_Above_The_Bmp()
    {
        var property = CaptureOnly("<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><p xmlns=\"urn:p\">&#65536;<foo xmlns='http://bar' a='1'>t</foo> tail </p></D:prop></D:set></D:propertyupdate>");
        var stored = DeadProperty.Parse(property.ToXml());
        Assert.StartsWith("\U00010000", stored.Element.Value, StringComparison.Ordinal);
        var foo = Assert.Single(stored.Element.Elements());
        Assert.Equal(XName.Get("foo", "http://bar"), foo.Name);
        Assert.Equal("1", foo.Attribute("a")?.Value);
        Assert.EndsWith(" tail ", stored.Element.Value, StringComparison.Ordinal);
    }
}
