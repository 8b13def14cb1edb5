using System.Xml;
using System.Xml.Linq;
using Davit.Authorization;
using Davit.Http;
using Davit.Properties;
using Davit.Quotas;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PROPFIND (RFC 4918 §9.1) at Depth 0, 1, or (when allowed) infinity; allprop with include, propname, prop.
/// The 207 is streamed: each member's response is sent as soon as it is written. 404 when nothing is mapped,
/// 403 with DAV:propfind-finite-depth for a refused infinite depth, 400 for a bad Depth or body.
/// </summary>
internal sealed class PropfindHandler : IReadHandler
{
    private readonly PropfindBodies bodies = new();

    public async ValueTask HandleAsync(DavRequest request)
    {
        if (!DavHeaders.TryParseDepth(request.Request.Headers["Depth"], Depth.Infinity, out var depth))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Depth must be 0, 1 or infinity.");
        }

        var item = request.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        if (depth == Depth.Infinity && item is IFolder && !request.Options.AllowInfiniteDepthPropfind)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "PROPFIND with Depth: infinity is turned off.", DavNames.PropfindFiniteDepth);
        }

        var propfind = await bodies.ReadAsync(request);
        var members = item is IFolder && depth != Depth.Zero;
        var locks = request.Locks is null ? [] : await request.Locks.FindAsync(item.Path, members, request.Now, request.Aborted);
        var live = new LiveContext(request, locks);
        using var writer = MultistatusWriter.Start(request);
        await WriteResponseAsync(live, writer, item, propfind, request.Href(item));
        if (members)
        {
            await WriteMembersAsync(live, writer, (IFolder)item, propfind, Selection(propfind), depth == Depth.Infinity);
        }

        await writer.CompleteAsync();
    }

    /// <summary>Which dead properties the members' responses will read, so a store can fetch them with the listing.</summary>
    private static PropertySelection Selection(PropfindRequest propfind) => propfind.Kind switch
    {
        PropfindKind.Prop => PropertySelection.Of([.. propfind.Names.Where(n => !LiveProperties.TryGet(n, out _) && !LiveProperties.IsQuota(n))]),
        _ => PropertySelection.All,
    };

    private static async ValueTask WriteMembersAsync(LiveContext live, MultistatusWriter writer, IFolder folder, PropfindRequest propfind, PropertySelection selection, bool recurse)
    {
        var request = live.Request;
        var readable = ReadFilter.For(request);
        var pending = new Stack<IFolder>();
        pending.Push(folder);
        var hrefs = new MemberHrefs(request);
        while (pending.TryPop(out var current))
        {
            hrefs.EnterFolder(current);
            await foreach (var child in current.GetChildrenAsync(selection, request.Aborted))
            {
                if (!await readable.CanReadAsync(child.Path))
                {
                    continue;
                }

                await WriteResponseAsync(live, writer, child, propfind, hrefs.Of(child));
                if (recurse && child is IFolder childFolder)
                {
                    pending.Push(childFolder);
                }
            }
        }
    }

    private static async ValueTask WriteResponseAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item, PropfindRequest propfind, string href)
    {
        writer.BeginResponse(href);
        switch (propfind.Kind)
        {
            case PropfindKind.PropName:
                await WritePropNamesAsync(live, writer, item);
                break;
            case PropfindKind.AllProp:
                await WriteAllPropsAsync(live, writer, item, propfind.Names);
                break;
            default:
                if (item is IContentHashes kept && propfind.Names.Contains(LiveProperties.Checksums.Name))
                {
                    live = live with { Hashes = await kept.GetContentHashesAsync(live.Request.Aborted) };
                }

                await WriteNamedPropsAsync(live, writer, item, propfind.Names);
                break;
        }

        writer.EndResponse();
        await writer.FlushIfNeededAsync();
    }

    private static async ValueTask WritePropNamesAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item)
    {
        writer.BeginPropstat();
        foreach (var property in LiveProperties.All.Where(p => p.AppliesTo(item, live)))
        {
            writer.WriteEmptyProperty(property.Name);
        }

        if (item is IDeadProperties dead)
        {
            foreach (var property in await dead.GetPropertiesAsync(null, live.Request.Aborted))
            {
                writer.WriteEmptyProperty(property.Name);
            }
        }

        writer.EndPropstat(StatusCodes.Status200OK);
    }

    private static async ValueTask WriteAllPropsAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item, IReadOnlyList<XName> include)
    {
        writer.BeginPropstat();
        var all = LiveProperties.All;
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].AppliesTo(item, live))
            {
                WriteLive(writer.Xml, all[i], item, live);
            }
        }

        if (item is IDeadProperties dead)
        {
            foreach (var property in await dead.GetPropertiesAsync(null, live.Request.Aborted))
            {
                property.Element.WriteTo(writer.Xml);
            }
        }

        writer.EndPropstat(StatusCodes.Status200OK);

        // DAV:include names properties allprop leaves out; every live property is in allprop already, so only the
        // ones nobody serves remain, and they are reported missing.
        if (include.Count == 0 || item is IDeadProperties)
        {
            return;
        }

        var missing = include.Where(n => !LiveProperties.TryGet(n, out _)).ToList();
        if (missing.Count > 0)
        {
            writer.WritePropstat(missing, StatusCodes.Status404NotFound);
        }
    }

    private static async ValueTask WriteNamedPropsAsync(LiveContext live, MultistatusWriter writer, IHierarchyItem item, IReadOnlyList<XName> names)
    {
        var deadNames = names.Where(n => !LiveProperties.TryGet(n, out _) && !LiveProperties.IsQuota(n)).ToList();
        var quota = item is IFolder && names.Any(LiveProperties.IsQuota) ? await QuotaGuard.PropertiesAsync(live.Request, item.Path) : null;
        var deadValues = item is IDeadProperties dead && deadNames.Count > 0
            ? (await dead.GetPropertiesAsync(deadNames, live.Request.Aborted)).ToDictionary(p => p.Name)
            : [];

        var missing = new List<XName>();
        var opened = false;
        foreach (var name in names)
        {
            if (LiveProperties.TryGet(name, out var property) && property.AppliesTo(item, live))
            {
                opened = OpenOnce(writer, opened);
                WriteLive(writer.Xml, property, item, live);
            }
            else if (LiveProperties.IsQuota(name) && quota is { } figures)
            {
                // RFC 4331 §3, §4: only on collections a quota governs; elsewhere they are reported missing.
                opened = OpenOnce(writer, opened);
                var bytes = name == DavNames.QuotaUsedBytes ? figures.Used : figures.Available;
                writer.Xml.WriteElementString(DavNames.Prefix, name.LocalName, DavNames.Namespace, bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (deadValues.TryGetValue(name, out var value))
            {
                opened = OpenOnce(writer, opened);
                value.Element.WriteTo(writer.Xml);
            }
            else
            {
                missing.Add(name);
            }
        }

        if (opened)
        {
            writer.EndPropstat(StatusCodes.Status200OK);
        }

        if (missing.Count > 0)
        {
            writer.WritePropstat(missing, StatusCodes.Status404NotFound);
        }
    }

    private static bool OpenOnce(MultistatusWriter writer, bool opened)
    {
        if (!opened)
        {
            writer.BeginPropstat();
        }

        return true;
    }

    private static void WriteLive(XmlWriter xml, LiveProperty property, IHierarchyItem item, LiveContext live)
    {
        var ns = property.Name.NamespaceName;
        xml.WriteStartElement(ns == DavNames.Namespace ? DavNames.Prefix : "oc", property.Name.LocalName, ns);
        property.WriteValue(xml, item, live);
        xml.WriteEndElement();
    }
}
