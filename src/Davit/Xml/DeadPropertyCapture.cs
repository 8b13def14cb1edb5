using System.Xml.Linq;

namespace Davit.Xml;

/// <summary>
/// Detaches a property element from the request document so that it stands alone: the namespace declarations and
/// the xml:lang that were in scope on its ancestors are copied onto it (RFC 4918 §4.3 asks to keep both), so the
/// value means the same when it is stored and later written into another document.
/// </summary>
internal static class DeadPropertyCapture
{
    private static readonly XName XmlLang = XNamespace.Xml + "lang";

    public static XElement Capture(XElement source)
    {
        // An element named in the namespace of xmlns itself cannot be declared anywhere: no store could keep it.
        if (source.DescendantsAndSelf().Any(e => e.Name.Namespace == XNamespace.Xmlns))
        {
            throw new Engine.DavException(Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest, "An element is named in the xmlns namespace, which XML reserves.");
        }

        var copy = new XElement(source);
        DeclareInheritedNamespaces(source, copy);

        if (copy.Attribute(XmlLang) is null)
        {
            var lang = source.AncestorsAndSelf().Select(e => e.Attribute(XmlLang)).FirstOrDefault(a => a is not null);
            if (lang is not null)
            {
                copy.SetAttributeValue(XmlLang, lang.Value);
            }
        }

        return copy;
    }

    private static void DeclareInheritedNamespaces(XElement source, XElement copy)
    {
        var declaredInside = copy.DescendantsAndSelf()
            .SelectMany(e => e.Attributes())
            .Where(a => a.IsNamespaceDeclaration)
            .Select(a => a.Name.Namespace == XNamespace.None ? string.Empty : a.Name.LocalName)
            .ToHashSet(StringComparer.Ordinal);

        var used = copy.DescendantsAndSelf()
            .SelectMany(e => e.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => a.Name.Namespace).Prepend(e.Name.Namespace))
            .Where(ns => ns != XNamespace.None && ns != XNamespace.Xml)
            .Distinct();

        foreach (var ns in used)
        {
            var prefix = source.GetPrefixOfNamespace(ns);
            if (prefix is not null)
            {
                if (declaredInside.Add(prefix))
                {
                    copy.SetAttributeValue(XNamespace.Xmlns + prefix, ns.NamespaceName);
                }
            }
            else if (source.GetDefaultNamespace() == ns && declaredInside.Add(string.Empty))
            {
                copy.SetAttributeValue("xmlns", ns.NamespaceName);
            }
        }
    }
}
