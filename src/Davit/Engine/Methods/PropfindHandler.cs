using System.Xml;
using System.Xml.Linq;
using Davit.Authorization;
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
        var members = item is IFolder && depth != Depth.Zero;
        var locks = context.Locks is null ? [] : await context.Locks.FindAsync(item.Path, members, context.Now, context.Aborted);
        var live = new LiveContext(context, locks);
        using var writer = MultistatusWriter.Start(context);
        await WriteResponseAsync(live, writer, item, request);
        if (members)
        {
            await WriteMembersAsync(live, writer, (IFolder)item, request, hint, depth == Depth.Infinity);
        }

        await writer.CompleteAsync();
    }

    private static async ValueTask WriteMembersAsync(LiveContext live, MultistatusWriter writer, IFolder folder, PropfindRequest request, IReadOnlyCollection<XName> hint, bool recurse)
    {
        var context = live.Request;
        var readable = ReadFilter.For(context);
        var pending = new Stack<IFolder>();
        pending.Push(folder);
        while (pending.TryPop(out var current))
        {
            await foreach (var child in current.GetChildrenAsync(hint, context.Aborted))
            {
                if (!await readable.CanReadAsync(child.Path))
                {
                    continue;
                }

                await WriteResponseAsync(live, writer, child, request);
                if (recurse && child is IFolder childFolder)
                {
                    pending.Push(childFolder);
                }
            }
        }
    }

    private static async ValueTask WriteResponseAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item, PropfindRequest request)
    {
        var context = live.Request;
        var xml = writer.Xml;
        xml.WriteStartElement(DavNames.Prefix, "response", DavNames.Namespace);
        writer.WriteHref(context.Href(item));
        switch (request.Kind)
        {
            case PropfindKind.PropName:
                await WritePropNamesAsync(live, writer, item);
                break;
            case PropfindKind.AllProp:
                await WriteAllPropsAsync(live, writer, item, request.Names);
                break;
            default:
                await WriteNamedPropsAsync(live, writer, item, request.Names);
                break;
        }

        xml.WriteEndElement();
        await writer.FlushIfNeededAsync();
    }

    private static async ValueTask WritePropNamesAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item)
    {
        var xml = writer.Xml;
        BeginPropstat(xml);
        foreach (var property in LiveProperties.All.Where(p => p.AppliesTo(item, live)))
        {
            WriteEmpty(xml, property.Name);
        }

        if (item is IDeadProperties dead)
        {
            foreach (var property in await dead.GetPropertiesAsync(null, live.Request.Aborted))
            {
                WriteEmpty(xml, property.Name);
            }
        }

        EndPropstat(writer, StatusCodes.Status200OK);
    }

    private static async ValueTask WriteAllPropsAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item, IReadOnlyList<XName> include)
    {
        var xml = writer.Xml;
        BeginPropstat(xml);
        foreach (var property in LiveProperties.All.Where(p => p.AppliesTo(item, live)))
        {
            WriteLive(xml, property, item, live);
        }

        if (item is IDeadProperties dead)
        {
            foreach (var property in await dead.GetPropertiesAsync(null, live.Request.Aborted))
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

    private static async ValueTask WriteNamedPropsAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item, IReadOnlyList<XName> names)
    {
        var deadNames = names.Where(n => !LiveProperties.TryGet(n, out _)).ToList();
        var deadValues = item is IDeadProperties dead && deadNames.Count > 0
            ? (await dead.GetPropertiesAsync(deadNames, live.Request.Aborted)).ToDictionary(p => p.Name)
            : [];

        var missing = new List<XName>();
        var xml = writer.Xml;
        var opened = false;
        foreach (var name in names)
        {
            if (LiveProperties.TryGet(name, out var property) && property.AppliesTo(item, live))
            {
                opened = OpenOnce(xml, opened);
                WriteLive(xml, property, item, live);
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

    private static void WriteLive(XmlWriter xml, LiveProperty property, IHierarchyItem item, LiveContext live)
    {
        xml.WriteStartElement(DavNames.Prefix, property.Name.LocalName, DavNames.Namespace);
        property.WriteValue(xml, item, live);
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
