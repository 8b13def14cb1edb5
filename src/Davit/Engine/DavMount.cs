using Davit.Http;

namespace Davit.Engine;

/// <summary>Where the store is mounted: "" for the root, else "/dav" (no trailing slash), as mapped.</summary>
internal sealed record DavMount(string Prefix)
{
    /// <summary>The decoded segments of <see cref="Prefix"/>, split once rather than on every request.</summary>
    public string[] Segments { get; } = Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The encoded href of the mount point when the application has no path base.</summary>
    public string HrefPrefix { get; } = PathCodec.EncodePath(Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries));
}
