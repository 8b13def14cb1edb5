namespace Davit.Engine;

/// <summary>Where the store is mounted: "" for the root, else "/dav" (no trailing slash), as mapped.</summary>
internal sealed record DavMount(string Prefix);
