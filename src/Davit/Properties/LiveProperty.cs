using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Davit.Engine;
using Davit.Locking;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Properties;

/// <summary>
/// A live property: computed by the engine from the item, protected from PROPPATCH (RFC 4918 §15). The table is
/// data, not a class hierarchy: each entry says which items it applies to and how to write its value.
/// </summary>
internal sealed record LiveProperty(XName Name, Func<IHierarchyItem, LiveContext, bool> AppliesTo, Action<XmlWriter, IHierarchyItem, LiveContext> WriteValue);

/// <summary>What live properties are computed from besides the item: the request, and the locks of the PROPFIND's
/// scope, fetched once per request rather than once per member.</summary>
internal sealed record LiveContext(DavRequest Request, IReadOnlyList<ActiveLock> Locks)
{
    public bool Locking => Request.Locks is not null;

    /// <summary>The hashes of the item being written, fetched from the store just before when the PROPFIND names
    /// oc:checksums (<see cref="IContentHashes"/>).</summary>
    public ContentHashes? Hashes { get; init; }
}

/// <summary>The live properties the engine serves, all included in allprop. Values come from the store and go out
/// through <see cref="CarryingXmlWriter"/>, which shows what XML cannot carry (a name made on disk) as U+FFFD.</summary>
internal static class LiveProperties
{
    public static readonly IReadOnlyList<LiveProperty> All =
    [
        new(DavNames.CreationDate, (_, _) => true, (w, i, _) => w.WriteString(FormatCreationDate(i.CreatedUtc))),
        new(DavNames.DisplayName, (_, _) => true, (w, i, _) => w.WriteString(i.Name)),
        new(DavNames.GetContentLength, (i, _) => i is IFile, (w, i, _) => w.WriteString(((IFile)i).ContentLength.ToString(CultureInfo.InvariantCulture))),
        new(DavNames.GetContentType, (i, _) => i is IFile, (w, i, _) => w.WriteString(((IFile)i).ContentType)),
        new(DavNames.GetETag, (i, _) => i is IFile, (w, i, _) => w.WriteString(QuoteETag(((IFile)i).ETag))),
        new(DavNames.GetLastModified, (_, _) => true, (w, i, _) => w.WriteString(FormatHttpDate(i.ModifiedUtc))),
        new(DavNames.ResourceType, (_, _) => true, (w, i, _) => WriteResourceType(w, i)),
        new(DavNames.LockDiscovery, (_, c) => c.Locking, WriteLockDiscovery),
        new(DavNames.SupportedLock, (_, c) => c.Locking, (w, _, _) => LockXml.WriteSupportedLock(w)),
    ];

    /// <summary>oc:checksums (http://owncloud.org/ns), as ownCloud writes it: one oc:checksum holding
    /// "SHA1:&lt;hex&gt; MD5:&lt;hex&gt;". Only when named: it is no DAV property, and allprop need not fetch it.</summary>
    public static readonly LiveProperty Checksums = new(
        XName.Get("checksums", OwnCloudNamespace),
        (i, c) => i is IFile && c.Hashes is not null,
        (w, _, c) => w.WriteElementString("oc", "checksum", OwnCloudNamespace, $"SHA1:{c.Hashes!.Sha1} MD5:{c.Hashes.Md5}"));

    /// <summary>The ownCloud namespace.</summary>
    public const string OwnCloudNamespace = "http://owncloud.org/ns";

    private static readonly Dictionary<XName, LiveProperty> ByName = All.Append(Checksums).ToDictionary(p => p.Name);

    public static bool TryGet(XName name, out LiveProperty property) => ByName.TryGetValue(name, out property!);

    /// <summary>True for names a client may never set or remove with PROPPATCH (403, RFC 4918 §9.2.1).</summary>
    public static bool IsProtected(XName name) => ByName.ContainsKey(name) || IsQuota(name);

    /// <summary>
    /// True for the quota properties (RFC 4331 §3, §4): live, protected, and computed only when asked for by name,
    /// since counting a quota's bytes costs more than reading an item; so they are not in this table, nor in allprop
    /// (RFC 4331 §2: they are never returned for allprop).
    /// </summary>
    public static bool IsQuota(XName name) => name == DavNames.QuotaAvailableBytes || name == DavNames.QuotaUsedBytes;

    /// <summary>RFC 9110 IMF-fixdate, as RFC 4918 §15.7 requires for getlastmodified.</summary>
    public static string FormatHttpDate(DateTimeOffset value) => value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 date-time, as RFC 4918 §15.1 requires for creationdate.</summary>
    public static string FormatCreationDate(DateTimeOffset value) =>
        // The sortable standard format is "yyyy-MM-ddTHH:mm:ss" with a fast path; a custom pattern parses itself each time.
        string.Create(20, value.UtcDateTime, static (span, utc) =>
        {
            utc.TryFormat(span, out _, "s", CultureInfo.InvariantCulture);
            span[19] = 'Z';
        });

    /// <summary>A strong entity-tag from a store's opaque value.</summary>
    public static string QuoteETag(string opaque) => "\"" + opaque + "\"";

    private static void WriteLockDiscovery(XmlWriter writer, IHierarchyItem item, LiveContext context)
    {
        foreach (var active in context.Locks.Where(l => l.Covers(item.Path)))
        {
            // A lock rooted above the item covers it through depth infinity, so that root is a collection.
            LockXml.WriteActiveLock(writer, active, context.Request, active.Root != item.Path || item is IFolder);
        }
    }

    private static void WriteResourceType(XmlWriter writer, IHierarchyItem item)
    {
        if (item is IFolder)
        {
            writer.WriteElementString(DavNames.Prefix, "collection", DavNames.Namespace, null);
        }
    }
}
