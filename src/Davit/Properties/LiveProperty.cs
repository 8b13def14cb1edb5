using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Properties;

/// <summary>
/// A live property: computed by the engine from the item, protected from PROPPATCH (RFC 4918 §15). The table is
/// data, not a class hierarchy: each entry says which items it applies to and how to write its value.
/// </summary>
internal sealed record LiveProperty(XName Name, Func<IHierarchyItem, bool> AppliesTo, Action<XmlWriter, IHierarchyItem> WriteValue);

/// <summary>The live properties the engine serves, all included in allprop.</summary>
internal static class LiveProperties
{
    public static readonly IReadOnlyList<LiveProperty> All =
    [
        new(DavNames.CreationDate, _ => true, (w, i) => w.WriteString(FormatCreationDate(i.CreatedUtc))),
        new(DavNames.DisplayName, _ => true, (w, i) => w.WriteString(i.Name)),
        new(DavNames.GetContentLength, i => i is IFile, (w, i) => w.WriteString(((IFile)i).ContentLength.ToString(CultureInfo.InvariantCulture))),
        new(DavNames.GetContentType, i => i is IFile, (w, i) => w.WriteString(((IFile)i).ContentType)),
        new(DavNames.GetETag, i => i is IFile, (w, i) => w.WriteString(QuoteETag(((IFile)i).ETag))),
        new(DavNames.GetLastModified, _ => true, (w, i) => w.WriteString(FormatHttpDate(i.ModifiedUtc))),
        new(DavNames.ResourceType, _ => true, WriteResourceType),
    ];

    private static readonly Dictionary<XName, LiveProperty> ByName = All.ToDictionary(p => p.Name);

    // Names that are live even though this engine does not serve them yet; PROPPATCH must still refuse them.
    private static readonly HashSet<XName> Reserved = [DavNames.LockDiscovery, DavNames.SupportedLock];

    public static bool TryGet(XName name, out LiveProperty property) => ByName.TryGetValue(name, out property!);

    /// <summary>True for names a client may never set or remove with PROPPATCH (403, RFC 4918 §9.2.1).</summary>
    public static bool IsProtected(XName name) => ByName.ContainsKey(name) || Reserved.Contains(name);

    /// <summary>RFC 9110 IMF-fixdate, as RFC 4918 §15.7 requires for getlastmodified.</summary>
    public static string FormatHttpDate(DateTimeOffset value) => value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 date-time, as RFC 4918 §15.1 requires for creationdate.</summary>
    public static string FormatCreationDate(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A strong entity-tag from a store's opaque value.</summary>
    public static string QuoteETag(string opaque) => "\"" + opaque + "\"";

    private static void WriteResourceType(XmlWriter writer, IHierarchyItem item)
    {
        if (item is IFolder)
        {
            writer.WriteElementString(DavNames.Prefix, "collection", DavNames.Namespace, null);
        }
    }
}
