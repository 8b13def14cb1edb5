using System.Text;
using Davit.Authorization;
using Davit.Hosting;
using Davit.Http;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Davit.Engine;

/// <summary>
/// Everything a method handler needs about one request: the HTTP context, the decoded path, the item resolved
/// once by the engine, the store, and how to build hrefs.
/// </summary>
internal sealed class DavContext
{
    public DavContext(HttpContext http, IDavStore store, DavOptions options, ILogger logger, string hrefPrefix, DavPath path)
    {
        Http = http;
        Store = store;
        Options = options;
        Logger = logger;
        HrefPrefix = hrefPrefix;
        Path = path;
        StoreContext = new DavRequestContext(http);
    }

    public HttpContext Http { get; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public IDavStore Store { get; }

    public DavRequestContext StoreContext { get; }

    public DavOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>The encoded path of the mount point ("" or "/dav"), with no trailing slash.</summary>
    public string HrefPrefix { get; }

    /// <summary>The request URL's path below the mount point, as a store path (below <see cref="Home"/>).</summary>
    public DavPath Path { get; }

    /// <summary>The folder the user sees as the root: <see cref="DavPath.Root"/> unless they are confined to a
    /// home folder (<see cref="IDavHomeFolderProvider"/>). Hrefs are built from below it.</summary>
    public DavPath Home { get; init; } = DavPath.Root;

    /// <summary>The item at <see cref="Path"/>, or null when nothing is mapped there.</summary>
    public IHierarchyItem? Item { get; set; }

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The engine's clock (a <see cref="TimeProvider"/>, so tests can fix it).</summary>
    public required TimeProvider Time { get; init; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Where locks are kept, or null when locking is off.</summary>
    public Locking.ILockStore? Locks { get; init; }

    /// <summary>Upload sessions and their helpers, or null when resumable uploads are off.</summary>
    public Uploads.UploadServices? Uploads { get; init; }

    /// <summary>The parsed If header, once the engine has checked it; null when the request has none.</summary>
    public Http.IfHeader? If { get; set; }

    /// <summary>Body bytes sent, for the request log line.</summary>
    public long BytesSent { get; set; }

    public ValueTask<IHierarchyItem?> ResolveAsync(DavPath path) => Store.GetHierarchyItemAsync(path, StoreContext, Aborted);

    /// <summary>The href of <paramref name="path"/>: the mount prefix plus encoded segments, '/' after collections.</summary>
    public string Href(DavPath path, bool isCollection)
    {
        var builder = new StringBuilder(HrefPrefix);
        var visible = HomeFolders.ToVisible(Home, path);
        foreach (var segment in visible.Segments)
        {
            builder.Append('/');
            PathCodec.AppendEncoded(builder, segment);
        }

        if (isCollection || visible.IsRoot)
        {
            builder.Append('/');
        }

        return builder.ToString();
    }

    public string Href(IHierarchyItem item) => Href(item.Path, item is IFolder);
}
