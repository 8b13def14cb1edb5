using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Davit.Engine;
using Davit.Xml;

namespace Davit.Locking;

/// <summary>Writes DAV:activelock and DAV:supportedlock (RFC 4918 §14.1, §15.8, §15.10).</summary>
internal static class LockXml
{
    private static readonly string[] Scopes = ["exclusive", "shared"];

    /// <param name="xml">Where to write.</param>
    /// <param name="active">The lock.</param>
    /// <param name="context">The request.</param>
    /// <param name="rootIsCollection">Whether the lock root is a collection (its href ends in '/').</param>
    public static void WriteActiveLock(XmlWriter xml, ActiveLock active, DavRequest context, bool rootIsCollection)
    {
        xml.WriteStartElement(DavNames.Prefix, "activelock", DavNames.Namespace);
        WriteWrapped(xml, "locktype", "write");
        WriteWrapped(xml, "lockscope", active.Scope == LockScope.Exclusive ? "exclusive" : "shared");
        xml.WriteElementString(DavNames.Prefix, "depth", DavNames.Namespace, active.Depth == LockDepth.Zero ? "0" : "infinity");
        if (active.OwnerXml is not null)
        {
            // Kept verbatim: Office shows the owner to other users ("locked by ..."). A lock store holds whatever was
            // put in it; an owner that is not XML is given as the text of DAV:owner rather than ending the answer.
            if (XmlChars.ParseStored(active.OwnerXml) is { } owner)
            {
                owner.WriteTo(xml);
            }
            else
            {
                xml.WriteElementString(DavNames.Prefix, "owner", DavNames.Namespace, active.OwnerXml);
            }
        }

        xml.WriteElementString(DavNames.Prefix, "timeout", DavNames.Namespace, FormatTimeout(active, context.Now));
        xml.WriteStartElement(DavNames.Prefix, "locktoken", DavNames.Namespace);
        xml.WriteElementString(DavNames.Prefix, "href", DavNames.Namespace, active.Token);
        xml.WriteEndElement();
        if (!context.Options.OmitLockRoot)
        {
            xml.WriteStartElement(DavNames.Prefix, "lockroot", DavNames.Namespace);
            xml.WriteElementString(DavNames.Prefix, "href", DavNames.Namespace, context.Href(active.Root, rootIsCollection));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    public static void WriteSupportedLock(XmlWriter xml)
    {
        foreach (var scope in Scopes)
        {
            xml.WriteStartElement(DavNames.Prefix, "lockentry", DavNames.Namespace);
            WriteWrapped(xml, "lockscope", scope);
            WriteWrapped(xml, "locktype", "write");
            xml.WriteEndElement();
        }
    }

    /// <summary>The time left, as "Second-n" rounded up, or "Infinite".</summary>
    public static string FormatTimeout(ActiveLock active, DateTimeOffset now)
    {
        if (active.Timeout == Timeout.InfiniteTimeSpan)
        {
            return "Infinite";
        }

        var left = Math.Max(0, Math.Ceiling((active.ExpiresUtc - now).TotalSeconds));
        return "Second-" + left.ToString("0", CultureInfo.InvariantCulture);
    }

    private static void WriteWrapped(XmlWriter xml, string outer, string inner)
    {
        xml.WriteStartElement(DavNames.Prefix, outer, DavNames.Namespace);
        xml.WriteElementString(DavNames.Prefix, inner, DavNames.Namespace, null);
        xml.WriteEndElement();
    }
}
