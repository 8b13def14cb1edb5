using System.Xml;
using System.Xml.Linq;
using Davit.Http;
using Davit.Properties;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PROPFIND (RFC 4918 §9.1) at Depth 0, 1, or (when allowed) infinity; allprop with include, propname, prop.
/// The 207 is streamed: each member's response is sent as soon as it is written. 404 when nothing is mapped,
/// 403 with DAV:propfind-finite-depth for a refused infinite depth, 400 for a bad Depth or body.
/// </summary>
internal sealed class PropfindHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        if (!DavHeaders.TryParseDepth(context.Request.Headers["Depth"], Depth.Infinity, out var depth))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Depth must be 0, 1 or infinity.");
        }

        var item = context.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        if (depth == Depth.Infinity && item is IFolder && !context.Options.AllowInfiniteDepthPropfind)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "PROPFIND with Depth: infinity is turned off.", DavNames.PropfindFiniteDepth);
        }

        var request = PropfindRequest.Parse(await XmlRequestReader.ReadAsync(context));
        var hint = request.Kind == PropfindKind.Prop ? request.Names : (IReadOnlyCollection<XName>)[];
        using var writer = MultistatusWriter.Start(context);
        await WriteResponseAsync(context, writer, item, request);
        if (item is IFolder folder && depth != Depth.Zero)
        {
            await WriteMembersAsync(context, writer, folder, request, hint, depth == Depth.Infinity);
        }

        await writer.CompleteAsync();
    }

    private static async ValueTask WriteMembersAsync(DavContext context, MultistatusWriter writer, IFolder folder, PropfindRequest request, IReadOnlyCollection<XName> hint, bool recurse)
    {
        var pending = new Stack<IFolder>();
        pending.Push(folder);
        while (pending.TryPop(out var current))
        {
            await foreach (var child in current.GetChildrenAsync(hint, context.Aborted))
            {
                await WriteResponseAsync(context, writer, child, request);
                if (recurse && child is IFolder childFolder)
                {
                    pending.Push(childFolder);
                }
            }
        }
    }

    private static async ValueTask WriteResponseAsync(DavContext context, MultistatusWriter writer, IHierarchyItem item, PropfindRequest request)
    {
        var xml = writer.Xml;
        xml.WriteStartElement(DavNames.Prefix, "response", DavNames.Namespace);
        writer.WriteHref(context.Href(item));
        switch (request.Kind)
        {
            case PropfindKind.PropName:
                await WritePropNamesAsync(context, writer, item);
                break;
            case PropfindKind.AllProp:
                await WriteAllPropsAsync(context, writer, item, request.Names);
                break;
            default:
                await WriteNamedPropsAsync(context, writer, item, request.Names);
                break;
        }

        xml.WriteEndElement();
        await writer.FlushIfNeededAsync();
    }

    private static async ValueTask WritePropNamesAsync(DavContext context, MultistatusWriter writer, IHierarchyItem item)
    {
        var xml = writer.Xml;
        BeginPropstat(xml);
        foreach (var live in LiveProperties.All.Where(p => p.AppliesTo(item)))
        {
            WriteEmpty(xml, live.Name);
        }

        if (item is IDeadProperties dead)
        {
            foreach (var property in await dead.GetPropertiesAsync(null, context.Aborted))
            {
                WriteEmpty(xml, property.Name);
            }
        }

        EndPropstat(writer, StatusCodes.Status200OK);
    }

    private static async ValueTask WriteAllPropsAsync(DavContext context, MultistatusWriter writer, IHierarchyItem item, IReadOnlyList<XName> include)
    {
        var xml = writer.Xml;
        BeginPropstat(xml);
        foreach (var live in LiveProperties.All.Where(p => p.AppliesTo(item)))
        {
            WriteLive(xml, live, item);
        }

        if (item is IDeadProperties dead)
        {
            foreach (var property in await dead.GetPropertiesAsync(null, context.Aborted))
            {
                property.Element.WriteTo(xml);
            }
        }

        EndPropstat(writer, StatusCodes.Status200OK);

        // DAV:include names properties allprop leaves out; every live property is in allprop already, so only the
        // ones nobody serves remain, and they are reported missing.
        var missing = include.Where(n => !LiveProperties.TryGet(n, out _) && item is not IDeadProperties).ToList();
        WriteMissing(writer, missing);
    }

    private static async ValueTask WriteNamedPropsAsync(DavContext context, MultistatusWriter writer, IHierarchyItem item, IReadOnlyList<XName> names)
    {
        var deadNames = names.Where(n => !LiveProperties.TryGet(n, out _)).ToList();
        var deadValues = item is IDeadProperties dead && deadNames.Count > 0
            ? (await dead.GetPropertiesAsync(deadNames, context.Aborted)).ToDictionary(p => p.Name)
            : [];

        var missing = new List<XName>();
        var xml = writer.Xml;
        var opened = false;
        foreach (var name in names)
        {
            if (LiveProperties.TryGet(name, out var live) && live.AppliesTo(item))
            {
                opened = OpenOnce(xml, opened);
                WriteLive(xml, live, item);
            }
            else if (deadValues.TryGetValue(name, out var value))
            {
                opened = OpenOnce(xml, opened);
                value.Element.WriteTo(xml);
            }
            else
            {
                missing.Add(name);
            }
        }

        if (opened)
        {
            EndPropstat(writer, StatusCodes.Status200OK);
        }

        WriteMissing(writer, missing);
    }

    private static bool OpenOnce(XmlWriter xml, bool opened)
    {
        if (!opened)
        {
            BeginPropstat(xml);
        }

        return true;
    }

    private static void WriteMissing(MultistatusWriter writer, List<XName> missing)
    {
        if (missing.Count == 0)
        {
            return;
        }

        BeginPropstat(writer.Xml);
        foreach (var name in missing)
        {
            WriteEmpty(writer.Xml, name);
        }

        EndPropstat(writer, StatusCodes.Status404NotFound);
    }

    private static void WriteLive(XmlWriter xml, LiveProperty live, IHierarchyItem item)
    {
        xml.WriteStartElement(DavNames.Prefix, live.Name.LocalName, DavNames.Namespace);
        live.WriteValue(xml, item);
        xml.WriteEndElement();
    }

    internal static void WriteEmpty(XmlWriter xml, XName name)
    {
        if (name.Namespace == DavNames.Dav)
        {
            xml.WriteStartElement(DavNames.Prefix, name.LocalName, DavNames.Namespace);
        }
        else
        {
            xml.WriteStartElement(name.LocalName, name.NamespaceName);
        }

        xml.WriteEndElement();
    }

    internal static void BeginPropstat(XmlWriter xml)
    {
        xml.WriteStartElement(DavNames.Prefix, "propstat", DavNames.Namespace);
        xml.WriteStartElement(DavNames.Prefix, "prop", DavNames.Namespace);
    }

    internal static void EndPropstat(MultistatusWriter writer, int statusCode)
    {
        writer.Xml.WriteEndElement();
        writer.WriteStatus(statusCode);
        writer.Xml.WriteEndElement();
    }
}
