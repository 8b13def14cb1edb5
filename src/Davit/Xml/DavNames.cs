using System.Xml.Linq;

namespace Davit.Xml;

/// <summary>Element names of RFC 4918.</summary>
internal static class DavNames
{
    public const string Namespace = "DAV:";
    public const string Prefix = "D";

    public static readonly XNamespace Dav = Namespace;

    public static readonly XName Propfind = Dav + "propfind";
    public static readonly XName Prop = Dav + "prop";
    public static readonly XName AllProp = Dav + "allprop";
    public static readonly XName PropName = Dav + "propname";
    public static readonly XName Include = Dav + "include";
    public static readonly XName PropertyUpdate = Dav + "propertyupdate";
    public static readonly XName Set = Dav + "set";
    public static readonly XName Remove = Dav + "remove";

    public static readonly XName CreationDate = Dav + "creationdate";
    public static readonly XName DisplayName = Dav + "displayname";
    public static readonly XName GetContentLength = Dav + "getcontentlength";
    public static readonly XName GetContentType = Dav + "getcontenttype";
    public static readonly XName GetETag = Dav + "getetag";
    public static readonly XName GetLastModified = Dav + "getlastmodified";
    public static readonly XName ResourceType = Dav + "resourcetype";
    public static readonly XName LockDiscovery = Dav + "lockdiscovery";
    public static readonly XName SupportedLock = Dav + "supportedlock";

    // RFC 4331 §3, §4: live properties of collections inside a quota.
    public static readonly XName QuotaAvailableBytes = Dav + "quota-available-bytes";
    public static readonly XName QuotaUsedBytes = Dav + "quota-used-bytes";

    public static readonly XName LockInfo = Dav + "lockinfo";
    public static readonly XName LockScope = Dav + "lockscope";
    public static readonly XName LockType = Dav + "locktype";
    public static readonly XName Exclusive = Dav + "exclusive";
    public static readonly XName Shared = Dav + "shared";
    public static readonly XName Write = Dav + "write";
    public static readonly XName Owner = Dav + "owner";

    // RFC 4918 §16 conditions.
    public static readonly XName LockTokenSubmitted = Dav + "lock-token-submitted";
    public static readonly XName NoConflictingLock = Dav + "no-conflicting-lock";
    public static readonly XName LockTokenMatchesRequestUri = Dav + "lock-token-matches-request-uri";
    public static readonly XName PropfindFiniteDepth = Dav + "propfind-finite-depth";
    public static readonly XName CannotModifyProtectedProperty = Dav + "cannot-modify-protected-property";

    // RFC 4331 §6.
    public static readonly XName QuotaNotExceeded = Dav + "quota-not-exceeded";
}
