namespace Davit.Hosting;

/// <summary>Engine options, bound from configuration or set in <c>AddWebDav(options =&gt; ...)</c>.</summary>
public sealed class DavOptions
{
    /// <summary>
    /// Whether PROPFIND with Depth: infinity (or no Depth header, which means infinity) is answered. Off by default:
    /// such requests get 403 with DAV:propfind-finite-depth (RFC 4918 §9.1), because one request can walk the
    /// whole store.
    /// </summary>
    public bool AllowInfiniteDepthPropfind { get; set; }

    /// <summary>
    /// The largest XML request body (PROPFIND, PROPPATCH, ...) the engine reads, in bytes. Larger bodies get 413.
    /// File bodies (PUT) are not limited by this.
    /// </summary>
    public long MaxXmlRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>
    /// The largest PUT body accepted, in bytes, or null for no limit (the default). This replaces Kestrel's
    /// 30 MB request-body limit on the WebDAV endpoint, so multi-gigabyte uploads stream through.
    /// </summary>
    public long? MaxRequestBodySize { get; set; }

    /// <summary>
    /// Whether physical files (<see cref="Storage.IPhysicalFile"/>) are sent through the host's SendFileAsync.
    /// Off by default: Kestrel implements it as a buffered copy that is slower than the engine's own direct reads.
    /// Turn it on under IIS or HTTP.sys, whose SendFileAsync is the kernel's TransmitFile.
    /// </summary>
    public bool UseHostSendFile { get; set; }

    /// <summary>
    /// Whether the engine does Class 2 locking (LOCK, UNLOCK, the If header's lock tokens, 423 on writes without the
    /// token). On by default; off, OPTIONS advertises only class 1 and LOCK and UNLOCK get 501.
    /// </summary>
    public bool EnableLocking { get; set; } = true;

    /// <summary>The lock timeout when a LOCK asks for none or none usable. Default 10 minutes.</summary>
    public TimeSpan DefaultLockTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest lock timeout granted; longer requests, "Infinite" included, get this. Default 1 hour (what MS
    /// Office and the Windows mini-redirector ask for; they refresh before it runs out). Set it to
    /// <see cref="Timeout.InfiniteTimeSpan"/> to grant infinite locks.
    /// </summary>
    public TimeSpan MaxLockTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Leaves DAV:lockroot out of DAV:activelock, for MS Office versions that fail on it.</summary>
    public bool OmitLockRoot { get; set; }

    /// <summary>Whether GET on a folder returns an HTML listing (true) or 405 (false).</summary>
    public bool FolderListing { get; set; } = true;
}
