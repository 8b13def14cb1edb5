using System.Text;
using Davit.Hosting;
using Davit.Http;
using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Davit.Engine;

/// <summary>
/// One WebDAV request as the method handlers see it: the HTTP exchange, the decoded path, the item resolved by the
/// engine, the store with the request's <see cref="StoreContext"/> (and unit of work), the lock and upload-session
/// stores in effect, and how to build hrefs.
/// </summary>
internal sealed class DavRequest
{
    private readonly ILockStore? storeLocks;
    private readonly IUploadSessionStore? storeSessions;
    private List<IAsyncDisposable>? disposables;
    private List<Func<ValueTask>>? afterCommit;

    public DavRequest(HttpContext http, IDavStore store, DavEngineParts parts, string hrefPrefix, DavPath path)
    {
        Http = http;
        Store = store;
        Options = parts.Options;
        Logger = parts.Logger;
        Time = parts.Time;
        HrefPrefix = hrefPrefix;
        Path = path;
        storeLocks = parts.Locks;
        storeSessions = parts.Sessions;
        StoreContext = new StoreContext(http.User, http.RequestServices, http.RequestAborted);
    }

    public HttpContext Http { get; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public IDavStore Store { get; }

    /// <summary>What the store sees of this request, with its unit of work while one runs.</summary>
    public StoreContext StoreContext { get; }

    public DavOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>The encoded path of the mount point ("" or "/dav"), with no trailing slash.</summary>
    public string HrefPrefix { get; }

    /// <summary>The request URL's path below the mount point, as a store path (below <see cref="Home"/>).</summary>
    public DavPath Path { get; }

    /// <summary>The folder the user sees as the root: <see cref="DavPath.Root"/> unless they are confined to a
    /// home folder (<see cref="Authorization.IDavHomeFolderProvider"/>). Hrefs are built from below it.</summary>
    public DavPath Home { get; init; } = DavPath.Root;

    /// <summary>The path of the request target exactly as the client sent it (percent-encoded, path base and mount
    /// prefix included, no query): the URL the client sees, to redirect it to a nearby one.</summary>
    public string RawPath { get; init; } = "/";

    /// <summary>The item at <see cref="Path"/>, or null when nothing is mapped there. Resolved again inside a write's
    /// unit of work.</summary>
    public IHierarchyItem? Item { get; set; }

    /// <summary>The handler serving this request (its status mapping applies to store outcomes).</summary>
    public IMethodHandler? Handler { get; set; }

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The engine's clock (a <see cref="TimeProvider"/>, so tests can fix it).</summary>
    public TimeProvider Time { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Where locks are kept (the unit of work's view of them while one runs), or null when locking is off.</summary>
    public ILockStore? Locks => storeLocks is null ? null : StoreContext.UnitOfWork as ILockStore ?? storeLocks;

    /// <summary>Where upload sessions are kept (the unit of work's view while one runs), or null when resumable
    /// uploads are off or the store keeps none.</summary>
    public IUploadSessionStore? Sessions => storeSessions is null ? null : StoreContext.UnitOfWork as IUploadSessionStore ?? storeSessions;

    /// <summary>The store's own session store, outside any unit of work (for writing bytes, which never holds one).</summary>
    public IUploadSessionStore? SessionStore => storeSessions;

    /// <summary>The store's staging, or null when it has none.</summary>
    public IContentStaging? Staging => Store as IContentStaging;

    /// <summary>The parsed If header, once the engine has checked it; null when the request has none.</summary>
    public IfHeader? If { get; set; }

    /// <summary>Body bytes sent, for the request log line.</summary>
    public long BytesSent { get; set; }

    public ValueTask<IHierarchyItem?> ResolveAsync(DavPath path) => Store.GetHierarchyItemAsync(path, StoreContext, Aborted);

    /// <summary>Disposes <paramref name="disposable"/> when the request ends (staged bytes not taken over, say).</summary>
    public void DisposeAtEnd(IAsyncDisposable disposable) => (disposables ??= []).Add(disposable);

    /// <summary>Runs <paramref name="action"/> once the write's unit of work is committed (tidying up what the write
    /// has made redundant, such as an upload session whose bytes were stored by reading them).</summary>
    public void AfterCommit(Func<ValueTask> action) => (afterCommit ??= []).Add(action);

    /// <summary>Runs the actions registered with <see cref="AfterCommit"/>, in order; a failure is logged and does not
    /// change the answer (the write itself is done).</summary>
    public async ValueTask RunAfterCommitAsync()
    {
        var actions = afterCommit;
        afterCommit = null;
        foreach (var action in actions ?? [])
        {
            try
            {
                await action();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Diagnostics.Log.TidyingFailed(Logger, Request.Method, Path.ToString(), ex);
            }
        }
    }

    /// <summary>Forgets the actions registered with <see cref="AfterCommit"/> (the unit of work was rolled back).</summary>
    public void ClearAfterCommit() => afterCommit = null;

    /// <summary>Runs the disposals registered with <see cref="DisposeAtEnd"/>, latest first.</summary>
    public async ValueTask DisposeRegisteredAsync()
    {
        if (disposables is null)
        {
            return;
        }

        for (var i = disposables.Count - 1; i >= 0; i--)
        {
            await disposables[i].DisposeAsync();
        }

        disposables = null;
    }

    /// <summary>The href of <paramref name="path"/>: the mount prefix plus encoded segments, '/' after collections.</summary>
    public string Href(DavPath path, bool isCollection)
    {
        var builder = new StringBuilder(HrefPrefix);
        var visible = Authorization.HomeFolders.ToVisible(Home, path);
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

    /// <summary>The href of <paramref name="item"/> with every character but letters, digits, '-', '.', '_', '~' and
    /// '/' percent-encoded: safe in an HTML attribute as it is, for parsers that stop at '&amp;' or a quote.</summary>
    public string PlainHref(IHierarchyItem item) => PathCodec.Tighten(Href(item));
}
