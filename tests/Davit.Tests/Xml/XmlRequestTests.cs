using Davit.Engine;
using System.Text;
using System.Xml.Linq;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Tests.Xml;

public sealed class XmlRequestTests
{
    private static XDocument Load(string xml) => XmlRequestReader.Parse(Body(Encoding.UTF8.GetBytes(xml)), 100);

    // As the engine holds a request body: a MemoryStream whose buffer can be looked at, at position 0.
    private static MemoryStream Body(byte[] bytes)
    {
        var stream = new MemoryStream();
        stream.Write(bytes);
        stream.Position = 0;
        return stream;
    }

    [Theory]
    [InlineData("<D:propfind xmlns:D=\"DAV:\"><D:prop>")]
    [InlineData("<propfind xmlns=\"DAV:\" xmlns:bar=\"\"><prop/></propfind>")]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"boom\">]><propfind xmlns=\"DAV:\">&e;</propfind>")]
    [InlineData("not xml at all")]
    public void Malformed_Or_Dangerous_Xml_Is_400(string xml)
    {
        var ex = Assert.Throws<DavException>(() => Load(xml));
        Assert.Equal(400, ex.StatusCode);
    }

    [Fact]
    public void Propfind_Without_Body_Is_Allprop()
    {
        Assert.Equal(PropfindKind.AllProp, PropfindRequest.Parse(null).Kind);
    }

    [Fact]
    public void Propfind_Prop_Lists_Names_In_Order_Without_Duplicates()
    {
        var request = PropfindRequest.Parse(Load(
            "<D:propfind xmlns:D=\"DAV:\" xmlns:x=\"urn:x\"><D:prop><D:getetag/><x:a/><D:getetag/><b xmlns=\"\"/></D:prop></D:propfind>"));
        Assert.Equal(PropfindKind.Prop, request.Kind);
        Assert.Equal([XName.Get("getetag", "DAV:"), XName.Get("a", "urn:x"), XName.Get("b")], request.Names);
    }

    [Fact]
    public void Propfind_Ignores_Unknown_Elements_Like_Litmus_Propextended()
    {
        var request = PropfindRequest.Parse(Load("<propfind xmlns=\"DAV:\"><foobar/><allprop/></propfind>"));
        Assert.Equal(PropfindKind.AllProp, request.Kind);
    }

    [Fact]
    public void Propfind_Allprop_Carries_Include()
    {
        var request = PropfindRequest.Parse(Load("<propfind xmlns=\"DAV:\"><allprop/><include><x xmlns=\"urn:y\"/></include></propfind>"));
        Assert.Equal(PropfindKind.AllProp, request.Kind);
        Assert.Equal([XName.Get("x", "urn:y")], request.Names);
    }

    [Fact]
    public void Propname_Is_Recognised()
    {
        Assert.Equal(PropfindKind.PropName, PropfindRequest.Parse(Load("<propfind xmlns=\"DAV:\"><propname/></propfind>")).Kind);
    }

    [Theory]
    [InlineData("<other xmlns=\"DAV:\"/>")]
    [InlineData("<propfind xmlns=\"urn:not-dav\"><allprop/></propfind>")]
    [InlineData("<propfind xmlns=\"DAV:\"/>")]
    public void Propfind_With_Wrong_Root_Or_Nothing_Asked_Is_400(string xml)
    {
        Assert.Equal(400, Assert.Throws<DavException>(() => PropfindRequest.Parse(Load(xml))).StatusCode);
    }

    [Fact]
    public void Proppatch_Keeps_Document_Order_Across_Set_And_Remove()
    {
        var updates = ProppatchRequest.Parse(Load(
            "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\">" +
            "<D:remove><D:prop><Z:a/></D:prop></D:remove>" +
            "<D:set><D:prop><Z:a>1</Z:a><Z:b>2</Z:b></D:prop></D:set>" +
            "<D:remove><D:prop><Z:b/></D:prop></D:remove>" +
            "</D:propertyupdate>"));
        Assert.Equal(
            ["remove a", "set a=1", "set b=2", "remove b"],
            updates.Select(u => u.IsRemove ? $"remove {u.Name.LocalName}" : $"set {u.Name.LocalName}={u.Value!.Element.Value}"));
    }

    [Theory]
    [InlineData("<propertyupdate xmlns=\"DAV:\"/>")]
    [InlineData("<propfind xmlns=\"DAV:\"><allprop/></propfind>")]
    public void Proppatch_Without_Instructions_Or_Wrong_Root_Is_400(string xml)
    {
        Assert.Equal(400, Assert.Throws<DavException>(() => ProppatchRequest.Parse(Load(xml))).StatusCode);
    }

    [Fact]
    public void Proppatch_Without_Body_Is_400()
    {
        Assert.Equal(400, Assert.Throws<DavException>(() => ProppatchRequest.Parse(null)).StatusCode);
    }

    // A body with no more '<' than the depth limit skips the depth pass; these sit on both sides of that line, in every
    // encoding the reader detects by itself, so a count that missed a '<' would let a too-deep body through.
    public static TheoryData<string> Encodings => new() { "utf-8", "utf-16LE", "utf-16BE", "utf-32" };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Nesting_One_Level_Deeper_Than_The_Limit_Is_400_In_Any_Encoding(string encoding)
    {
        var ex = Assert.Throws<DavException>(() => XmlRequestReader.Parse(Nested(4, encoding), maxDepth: 3));
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("deeper than 3 levels", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Nesting_Exactly_At_The_Limit_Parses_In_Any_Encoding(string encoding)
    {
        var document = XmlRequestReader.Parse(Nested(3, encoding), maxDepth: 3);
        Assert.Equal(3, document.Descendants().Count());
    }

    [Fact]
    public void A_Shallow_Body_With_More_Elements_Than_The_Depth_Limit_Parses()
    {
        var props = string.Concat(Enumerable.Range(0, 150).Select(i => $"<p{i} xmlns=\"urn:x\"/>"));
        var request = PropfindRequest.Parse(Load($"<propfind xmlns=\"DAV:\"><prop>{props}</prop></propfind>"));
        Assert.Equal(150, request.Names.Count);
    }

    [Fact]
    public void Malformed_Xml_Under_The_Depth_Pass_Threshold_Is_Still_400()
    {
        // Three '<', below the limit of 100: only the parse itself sees the body, and it must refuse it alike.
        var ex = Assert.Throws<DavException>(() => Load("<propfind xmlns=\"DAV:\"><allprop></propfind>"));
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("not well-formed", ex.Message);
    }

    // levels nested elements (<a><a><a/></a></a>: as few '<' as that depth takes) in the given encoding, with its
    // byte order mark.
    private static MemoryStream Nested(int levels, string encoding)
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", levels - 1)) + "<a/>" + string.Concat(Enumerable.Repeat("</a>", levels - 1));
        var chosen = Encoding.GetEncoding(encoding);
        return Body([.. chosen.GetPreamble(), .. chosen.GetBytes(xml)]);
    }
}
