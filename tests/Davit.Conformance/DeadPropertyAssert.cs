using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

/// <summary>Comparisons of dead properties that require them to be kept exactly.</summary>
public static class DeadPropertyAssert
{
    /// <summary>
    /// Fails unless <paramref name="actual"/> is the same XML as <paramref name="expected"/>: the same serialized
    /// text (so the same prefixes and declarations), and the same tree of names, attributes and text. Namespace
    /// declarations are compared through the text only: a property stored as text and parsed back carries its
    /// declarations as attributes even when the element it was made from had them implicitly.
    /// </summary>
    public static void Same(XElement expected, DeadProperty? actual)
    {
        Assert.NotNull(actual);
        var expectedText = expected.ToString(SaveOptions.DisableFormatting);
        Assert.Equal(expectedText, actual.ToXml());
        Assert.True(XNode.DeepEquals(WithoutDeclarations(expected), WithoutDeclarations(actual.Element)), $"Expected {expectedText} but got {actual.ToXml()}.");
    }

    private static XElement WithoutDeclarations(XElement element)
    {
        var copy = new XElement(element);
        foreach (var declaration in copy.DescendantsAndSelf().SelectMany(e => e.Attributes()).Where(a => a.IsNamespaceDeclaration).ToList())
        {
            declaration.Remove();
        }

        return copy;
    }
}
