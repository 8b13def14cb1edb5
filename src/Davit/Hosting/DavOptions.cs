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
    /// How deep elements may nest in an XML request body (the root element is level 1). Deeper bodies get 400 before
    /// anything is built from them. WebDAV's own elements take four levels; the rest is for dead property values.
    /// Default 100; at most 1,000 (deeper values would be copied and written by recursion on thread-pool stacks).
    /// </summary>
    public int MaxXmlDepth { get; set; } = 100;

    /// <summary>
    /// The largest PUT body accepted, in bytes, or null for no limit (the default). This replaces Kestrel's
    /// 30 MB request-body limit on the WebDAV endpoint, so multi-gigabyte uploads stream through.
    /// </summary>
    public long? MaxRequestBodySize { get; set; }

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

    /// <summary>
    /// When the store is mounted below the host's root ("/dav"), <c>MapWebDav</c> also answers OPTIONS and PROPFIND
    /// at every path above the mount ("/" and, for "/a/b", "/a"): the Windows mini-redirector asks there first and
    /// will not map a drive on a 404. OPTIONS gets the mount's DAV classes; PROPFIND a read-only collection holding the
    /// next one down. Those routes rank below the application's own, so an application that answers there itself
    /// still does. Default true.
    /// </summary>
    public bool AnswerAboveMount { get; set; } = true;

    /// <summary>
    /// Resumable and partial uploads (Content-Range PUT, the upload-progress REPORT, CANCELUPLOAD), on the upload sessions
    /// the store keeps (<see cref="Uploads.IUploadSessionStore"/>). On by default; off, or with a store that keeps no
    /// sessions, a PUT with Content-Range gets 400 and OPTIONS leaves out "resumable-upload".
    /// </summary>
    public bool EnableResumableUploads { get; set; } = true;

    /// <summary>
    /// The tus 1.0 resumable-upload protocol (core, creation, creation-with-upload, creation-defer-length, termination,
    /// expiration, checksum): a POST to a folder with <c>Tus-Resumable</c> creates an upload whose file name comes from
    /// <c>Upload-Metadata</c>. Needs <see cref="EnableResumableUploads"/> and a store that keeps upload sessions.
    /// On by default.
    /// </summary>
    public bool EnableTus { get; set; } = true;

    /// <summary>
    /// The IETF resumable-upload protocol (draft-ietf-httpbis-resumable-upload): a PUT of a file, or a POST to a folder,
    /// with <c>Upload-Complete</c> creates an upload resource that takes HEAD, PATCH and DELETE. Needs
    /// <see cref="EnableResumableUploads"/> and a store that keeps upload sessions. On by default.
    /// </summary>
    public bool EnableIetfUploads { get; set; } = true;

    /// <summary>
    /// The largest upload, in bytes, that tus and the IETF protocol accept (<c>Tus-Max-Size</c>, the
    /// <c>max-size</c> of <c>Upload-Limit</c>); larger ones get 413. Null (the default) for no limit.
    /// </summary>
    public long? MaxUploadLength { get; set; }

    /// <summary>
    /// The origins (<c>https://app.example.com</c>, or <c>*</c> for any) whose web pages may use tus and the IETF
    /// upload protocol from a browser (CORS). Empty (the default): no CORS headers are sent. For listed origins,
    /// credentials are allowed; for <c>*</c>, they are not.
    /// </summary>
    public IList<string> CorsOrigins { get; set; } = [];

    /// <summary>
    /// Whether a page from <paramref name="origin"/> (the request's <c>Origin</c> header) may make cross-origin
    /// requests: it, or <c>*</c>, is in <see cref="CorsOrigins"/>. For hosts that put authentication in front of the
    /// engine and must let the preflights of these origins (which never carry credentials) through.
    /// </summary>
    public bool AllowsCorsOrigin(string? origin) =>
        !string.IsNullOrEmpty(origin) && CorsOrigins.Any(o => o == "*" || string.Equals(o, origin, StringComparison.OrdinalIgnoreCase));

    /// <summary>How long a browser may cache the answer to a CORS preflight. Default 1 day.</summary>
    public TimeSpan CorsMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long an upload in progress is kept after its last bytes arrived. Default 24 hours.</summary>
    public TimeSpan UploadExpiration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired uploads are looked for and their space reclaimed. Default 10 minutes.</summary>
    public TimeSpan UploadCleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The status of a segment that leaves the upload incomplete: 308 (IT Hit's ResumeIncomplete, with
    /// "Range: bytes=0-n") by default. Clients that take 308 for a redirect can be given 202 or 204 instead.
    /// </summary>
    public int IncompleteUploadStatus { get; set; } = 308;

    /// <summary>
    /// Plain PUTs (no Content-Range) of at least this many bytes, or of unknown length, go through an upload session,
    /// so that one interrupted midway keeps its bytes and can be resumed with Content-Range. Smaller ones are written
    /// straight through the store. Default 1 MiB.
    /// </summary>
    public long ResumableUploadThreshold { get; set; } = 1024 * 1024;

    /// <summary>
    /// Several servers serve the same store (behind a load balancer). When on, the engine refuses to start unless
    /// every part of the storage that keeps state (the store, its locks, its upload sessions) shares it with the other
    /// servers (<see cref="Storage.StateScope.Shared"/>); when off, it only logs at startup which parts are local to
    /// this process or machine. Default false.
    /// </summary>
    public bool RequireSharedState { get; set; }

    /// <summary>Whether GET on a folder returns an HTML listing (true) or 405 (false).</summary>
    public bool FolderListing { get; set; } = true;

    /// <summary>
    /// Whether browsers (requests with <c>Accept: text/html</c>) get the file manager page on a folder instead of the
    /// plain listing. Other clients always get the plain listing. Needs <see cref="FolderListing"/>. Default true.
    /// </summary>
    public bool BrowserPage { get; set; } = true;
}
