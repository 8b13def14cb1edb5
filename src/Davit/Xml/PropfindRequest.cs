using Davit.Engine;
using System.Xml.Linq;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Xml;

/// <summary>What a PROPFIND asks for (RFC 4918 §9.1, §14.20).</summary>
internal enum PropfindKind
{
    AllProp,
    PropName,
    Prop,
}

/// <summary>A parsed PROPFIND body.</summary>
/// <param name="Kind">allprop, propname or prop.</param>
/// <param name="Names">For prop: the names asked for, in order, without duplicates. For allprop: the names of
/// DAV:include. Empty for propname.</param>
internal sealed record PropfindRequest(PropfindKind Kind, IReadOnlyList<XName> Names)
{
    public static readonly PropfindRequest AllProp = new(PropfindKind.AllProp, []);

    /// <summary>
    /// Interprets a PROPFIND body; null (no body) means allprop (RFC 4918 §9.1). Unknown elements are ignored
    /// (litmus propextended); a root other than DAV:propfind, or a propfind with none of allprop, propname and
    /// prop, is 400.
    /// </summary>
    public static PropfindRequest Parse(XDocument? document)
    {
        if (document is null)
        {
            return AllProp;
        }

        var root = document.Root!;
        if (root.Name != DavNames.Propfind)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The PROPFIND body's root element is not DAV:propfind.");
        }

        if (root.Element(DavNames.PropName) is not null)
        {
            return new PropfindRequest(PropfindKind.PropName, []);
        }

        if (root.Element(DavNames.AllProp) is not null)
        {
            return new PropfindRequest(PropfindKind.AllProp, NamesIn(root.Element(DavNames.Include)));
        }

        if (root.Element(DavNames.Prop) is { } prop)
        {
            return new PropfindRequest(PropfindKind.Prop, NamesIn(prop));
        }

        throw new DavException(StatusCodes.Status400BadRequest, "The PROPFIND body has none of allprop, propname and prop.");
    }

    private static List<XName> NamesIn(XElement? container) =>
        container is null ? [] : container.Elements().Select(e => e.Name).Distinct().ToList();
}
