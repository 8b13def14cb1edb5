using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly XNamespace Test = "urn:davit:test";

    /// <summary>Property values as a client may send them, each self-contained as the engine hands them over.</summary>
    public static TheoryData<string> PropertyXml => new()
    {
        "<plain>no namespace</plain>",
        "<p xmlns=\"urn:davit:default\">default namespace</p>",
        "<z:prefixed xmlns:z=\"urn:davit:z\">kept prefix</z:prefixed>",
        "<z:empty xmlns:z=\"urn:davit:z\" />",
        "<z:ws xmlns:z=\"urn:davit:z\">   </z:ws>",
        "<z:escaped xmlns:z=\"urn:davit:z\" a=\"&quot;&lt;&amp;'\">&lt;tag&gt; &amp; more</z:escaped>",
        "<z:lang xmlns:z=\"urn:davit:z\" xml:lang=\"de-CH\">Grüezi</z:lang>",
        "<z:astral xmlns:z=\"urn:davit:z\">𝄞 😀 \U0001F9EA</z:astral>",
        "<z:note xmlns:z=\"urn:davit:z\" xmlns:q=\"urn:davit:q\" xml:lang=\"fr\" q:kind=\"memo\" plain=\"v\">"
            + "Mixed <q:b>bold</q:b> text<empty xmlns=\"\" /><z:child xml:lang=\"en\">inner</z:child>  tail  </z:note>",
    };

    [Theory]
    [MemberData(nameof(PropertyXml))]
    public async Task DeadProperty_Round_Trips_Exactly_On_A_File(string xml)
    {
        var element = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));

        await (await Store.GetFileAsync("a.txt")).SetPropertiesAsync(element);

        var file = await Store.GetFileAsync("a.txt");
        DeadPropertyAssert.Same(element, await file.GetPropertyAsync(element.Name));
        DeadPropertyAssert.Same(element, Assert.Single(await file.GetAllPropertiesAsync()));
    }

    [Theory]
    [MemberData(nameof(PropertyXml))]
    public async Task DeadProperty_Round_Trips_Exactly_On_A_Folder(string xml)
    {
        var element = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
        await Store.CreateFolderAsync("f");

        await (await Store.GetFolderAsync("f")).SetPropertiesAsync(element);

        DeadPropertyAssert.Same(element, await (await Store.GetFolderAsync("f")).GetPropertyAsync(element.Name));
    }

    [Fact]
    public async Task DeadProperty_Keeps_XmlLang_And_Prefixes()
    {
        var element = XElement.Parse("<z:title xmlns:z=\"urn:davit:z\" xml:lang=\"ja\">題名 😀</z:title>", LoadOptions.PreserveWhitespace);
        var folder = await Store.CreateFolderAsync("f");

        await folder.SetPropertiesAsync(element);

        var stored = (await (await Store.GetFolderAsync("f")).GetPropertyAsync(element.Name))!.Element;
        Assert.Equal("ja", (string?)stored.Attribute(XNamespace.Xml + "lang"));
        Assert.Equal("z", stored.GetPrefixOfNamespace("urn:davit:z"));
        Assert.Equal("題名 😀", stored.Value);
    }

    [Fact]
    public async Task DeadProperty_Set_Again_Replaces_The_Value()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));

        await file.SetPropertiesAsync(new XElement(Test + "color", "red"));
        await file.SetPropertiesAsync(new XElement(Test + "color", "blue"));

        var all = await (await Store.GetFileAsync("a.txt")).GetAllPropertiesAsync();
        Assert.Equal("blue", Assert.Single(all).Element.Value);
    }

    [Fact]
    public async Task DeadProperty_Remove_Then_Get_Returns_Nothing()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await file.SetPropertiesAsync(new XElement(Test + "color", "red"), new XElement(Test + "size", "L"));

        await file.RemovePropertiesAsync(Test + "color");

        var fresh = await Store.GetFileAsync("a.txt");
        Assert.Null(await fresh.GetPropertyAsync(Test + "color"));
        Assert.Equal(Test + "size", Assert.Single(await fresh.GetAllPropertiesAsync()).Name);
    }

    [Fact]
    public async Task Removing_A_Missing_DeadProperty_Succeeds()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var folder = await Store.CreateFolderAsync("f");

        await file.RemovePropertiesAsync(Test + "never-set");
        await folder.RemovePropertiesAsync(Test + "never-set");

        Assert.Empty(await (await Store.GetFileAsync("a.txt")).GetAllPropertiesAsync());
        Assert.Empty(await (await Store.GetFolderAsync("f")).GetAllPropertiesAsync());
    }

    [Fact]
    public async Task GetProperties_With_Null_Returns_All_Of_Them()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        XElement[] elements =
        [
            new(Test + "one", "1"),
            new(XName.Get("two", "urn:davit:other"), "2"),
            new(XName.Get("three"), "3"),
        ];

        await file.SetPropertiesAsync(elements);

        var all = await (await Store.GetFileAsync("a.txt")).GetAllPropertiesAsync();
        Assert.Equal(3, all.Count);
        foreach (var element in elements)
        {
            DeadPropertyAssert.Same(element, Assert.Single(all, p => p.Name == element.Name));
        }
    }

    [Fact]
    public async Task GetProperties_With_Names_Returns_Only_Those_That_Exist()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await file.SetPropertiesAsync(new XElement(Test + "one", "1"), new XElement(Test + "two", "2"));
        var props = (await Store.GetFileAsync("a.txt")).DeadProperties();

        var some = await props.GetPropertiesAsync([Test + "one", Test + "missing"], CancellationToken.None);
        var none = await props.GetPropertiesAsync([], CancellationToken.None);

        Assert.Equal(Test + "one", Assert.Single(some).Name);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Same_Local_Name_In_Two_Namespaces_Is_Two_Properties()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var first = new XElement(XName.Get("p", "urn:davit:a"), "a");
        var second = new XElement(XName.Get("p", "urn:davit:b"), "b");
        var third = new XElement(XName.Get("p"), "none");

        await file.SetPropertiesAsync(first, second, third);

        var fresh = await Store.GetFileAsync("a.txt");
        Assert.Equal(3, (await fresh.GetAllPropertiesAsync()).Count);
        DeadPropertyAssert.Same(second, await fresh.GetPropertyAsync(second.Name));
        DeadPropertyAssert.Same(third, await fresh.GetPropertyAsync(third.Name));
    }

    [Fact]
    public async Task Update_Batch_Applies_Its_Instructions_In_Document_Order()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await file.SetPropertiesAsync(new XElement(Test + "y", "old"));
        PropertyUpdate[] batch =
        [
            new(Test + "x", new DeadProperty(new XElement(Test + "x", "1"))),
            new(Test + "x", null),
            new(Test + "y", null),
            new(Test + "y", new DeadProperty(new XElement(Test + "y", "2"))),
            new(Test + "z", new DeadProperty(new XElement(Test + "z", "first"))),
            new(Test + "z", new DeadProperty(new XElement(Test + "z", "last"))),
        ];

        await file.DeadProperties().UpdatePropertiesAsync(batch, CancellationToken.None);

        var fresh = await Store.GetFileAsync("a.txt");
        Assert.Null(await fresh.GetPropertyAsync(Test + "x"));
        Assert.Equal("2", (await fresh.GetPropertyAsync(Test + "y"))?.Element.Value);
        Assert.Equal("last", (await fresh.GetPropertyAsync(Test + "z"))?.Element.Value);
        Assert.Equal(2, (await fresh.GetAllPropertiesAsync()).Count);
    }

    [Fact]
    public async Task DeadProperty_Is_Stored_By_Value()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var element = new XElement(Test + "p", "original");

        await file.SetPropertiesAsync(element);
        element.Value = "changed after set";
        var read = await file.GetPropertyAsync(Test + "p");
        read!.Element.Value = "changed after get";
        new XElement("container", read.Element).Add(new XElement("sibling"));

        Assert.Equal("original", (await (await Store.GetFileAsync("a.txt")).GetPropertyAsync(Test + "p"))?.Element.Value);
    }

    [Fact]
    public async Task DeadProperties_Belong_To_One_Item()
    {
        var a = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await Store.CreateFileAsync("b.txt", TestBytes.Utf8("b"));
        await Store.CreateFolderAsync("f");

        await a.SetPropertiesAsync(new XElement(Test + "p", "on a"));

        Assert.Empty(await (await Store.GetFileAsync("b.txt")).GetAllPropertiesAsync());
        Assert.Empty(await (await Store.GetFolderAsync("f")).GetAllPropertiesAsync());
        Assert.Empty(await (await Store.GetFolderAsync("")).GetAllPropertiesAsync());
    }

    [Fact]
    public async Task DeadProperties_Survive_A_Content_Write()
    {
        var file = await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        var element = new XElement(Test + "p", "kept");
        await file.SetPropertiesAsync(element);

        await file.WriteBytesAsync(TestBytes.Utf8("new content"));
        await (await Store.GetFileAsync("a.txt")).WriteBytesAsync(TestBytes.Utf8("newer content"));

        DeadPropertyAssert.Same(element, await (await Store.GetFileAsync("a.txt")).GetPropertyAsync(element.Name));
    }

    [Fact]
    public async Task Many_DeadProperties_Set_In_One_Batch_Are_All_Kept()
    {
        var folder = await Store.CreateFolderAsync("f");
        var elements = Enumerable.Range(0, 200).Select(i => new XElement(Test + $"p{i}", $"value {i}")).ToArray();

        await folder.SetPropertiesAsync(elements);

        var all = await (await Store.GetFolderAsync("f")).GetAllPropertiesAsync();
        Assert.Equal(elements.Select(e => e.Name.LocalName).Order(StringComparer.Ordinal), all.Select(p => p.Name.LocalName).Order(StringComparer.Ordinal));
    }
}
