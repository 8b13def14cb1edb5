using System.Collections.Frozen;
using Davit.Authorization;
using Davit.Diagnostics;
using Davit.Engine.Methods;
using Davit.Hosting;
using Davit.Http;
using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Davit.Engine;

/// <summary>
/// The request pipeline: decode the path, look up the handler, run it in the store's unit of work (a write in two
/// steps: prepare outside, apply inside, answer after the commit), and turn every failure into a response in exactly
/// one place. Thread safe; one instance serves all requests.
/// </summary>
internal sealed class DavEngine
{
    // A write the store rolled back because it lost a race (StoreError.Retry) runs again this many times in all.
    private const int WriteAttempts = 3;

    private readonly FrozenDictionary<string, IMethodHandler> handlers;
    private readonly IReadOnlyList<IRequestProtocol> protocols;
    private readonly DavOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly bool isDevelopment;
    private readonly Lazy<InMemoryLockStore> processLocks = new();

    public DavEngine(IOptions<DavOptions> options, ILoggerFactory loggerFactory, TimeProvider time, IEnumerable<IRequestProtocol> protocols, IHostEnvironment? environment = null)
    {
        this.options = options.Value;
        logger = loggerFactory.CreateLogger("Davit");
        this.time = time;
        this.protocols = [.. protocols];
        isDevelopment = environment?.IsDevelopment() ?? false;
        var get = new GetHandler();
        var copyMove = new CopyMoveHandler();
        handlers = new Dictionary<string, IMethodHandler>(StringComparer.Ordinal)
        {
            [HttpMethods.Options] = new OptionsHandler(),
            [HttpMethods.Get] = get,
            [HttpMethods.Head] = get,
            [HttpMethods.Put] = new PutHandler(),
            [HttpMethods.Post] = new PostHandler(),
            [HttpMethods.Delete] = new DeleteHandler(),
            ["MKCOL"] = new MkcolHandler(),
            ["COPY"] = copyMove,
            ["MOVE"] = copyMove,
            ["PROPFIND"] = new PropfindHandler(),
            ["PROPPATCH"] = new ProppatchHandler(),
            ["LOCK"] = new LockHandler(),
            ["UNLOCK"] = new UnlockHandler(),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public Task ProcessAsync(HttpContext http, DavMount mount) => RunAsync(http, async state =>
    {
        var (visible, hrefPrefix, rawPath) = ResolvePath(http, mount);
        var home = await HomeFolders.GetAsync(http);
        var store = http.RequestServices.GetRequiredService<IDavStore>();
        var request = state.Request = new DavRequest(http, store, PartsFor(http, store), hrefPrefix, HomeFolders.ToStore(home, visible)) { Home = home, RawPath = rawPath };
        var handler = request.Handler = FindHandler(request)
            ?? throw new DavException(StatusCodes.Status501NotImplemented, $"The method {http.Request.Method} is not implemented.");
        try
        {
            if (handler is IWriteHandler writer)
            {
                await WriteAsync(request, writer);
            }
            else
            {
                await ReadAsync(request, (IReadHandler)handler);
            }
        }
        finally
        {
            await request.DisposeRegisteredAsync();
        }
    });

    /// <summary>
    /// Answers OPTIONS and PROPFIND at <paramref name="parentSegments"/>, a path above the mount ("/" when the store
    /// is mounted at "/dav"): the Windows mini-redirector asks there before it maps a drive, and gives up on a 404.
    /// OPTIONS advertises what the mount offers; PROPFIND describes a read-only collection whose one member is the
    /// next collection on the way to the mount.
    /// </summary>
    public Task ProcessAboveMountAsync(HttpContext http, DavMount mount, string[] parentSegments) => RunAsync(http, async state =>
    {
        var store = http.RequestServices.GetRequiredService<IDavStore>();
        var parts = PartsFor(http, store);
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            // No locks or uploads live up here, but OPTIONS tells what the mount offers.
            OptionsHandler.Advertise(http.Response, parts.Locks is not null, parts.Sessions is not null);
            http.Response.Headers.Allow = "OPTIONS, PROPFIND";
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentLength = 0;
            return;
        }

        var mountSegments = mount.Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var here = (http.Request.PathBase.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(parentSegments);
        var request = state.Request = new DavRequest(http, store, parts with { Locks = null }, PathCodec.EncodePath(here), DavPath.Root);
        var handler = (IReadHandler)handlers["PROPFIND"];
        request.Handler = handler;
        await using var unit = await BeginAsync(request, UnitOfWorkMode.Read);
        var root = await request.ResolveAsync(DavPath.Root);
        var created = root?.CreatedUtc ?? DateTimeOffset.UnixEpoch;
        var modified = root?.ModifiedUtc ?? DateTimeOffset.UnixEpoch;
        request.Item = new MountParentFolder(DavPath.Root, mountSegments[parentSegments.Length], created, modified);
        await handler.HandleAsync(request);
    });

    /// <summary>The lock and upload-session stores for a request on <paramref name="store"/>: the store's own, else the
    /// application's services; locks fall back to this process's memory (said at startup).</summary>
    internal DavEngineParts PartsFor(HttpContext http, IDavStore store) => PartsFor(http.RequestServices, store);

    internal DavEngineParts PartsFor(IServiceProvider services, IDavStore store)
    {
        var locks = options.EnableLocking ? store as ILockStore ?? services.GetService<ILockStore>() ?? processLocks.Value : null;
        var sessions = options.EnableResumableUploads ? store as IUploadSessionStore ?? services.GetService<IUploadSessionStore>() : null;
        return new DavEngineParts(options, logger, time, locks, sessions);
    }

    private IMethodHandler? FindHandler(DavRequest request)
    {
        foreach (var protocol in protocols)
        {
            if (protocol.TryGetHandler(request) is { } taken)
            {
                return taken;
            }
        }

        return handlers.GetValueOrDefault(request.Request.Method);
    }

    private async Task ReadAsync(DavRequest request, IReadHandler handler)
    {
        await using var unit = await BeginAsync(request, UnitOfWorkMode.Read);
        if (await ResolveAndAuthorizeAsync(request) && CheckPreconditions(request))
        {
            await LockManager.CheckAsync(request);
            await handler.HandleAsync(request);
        }

        await unit.CommitAsync(request.Aborted);
    }

    private async Task WriteAsync(DavRequest request, IWriteHandler handler)
    {
        // A first look, outside any unit of work, so that a refused request fails before its body is read.
        if (!await ResolveAndAuthorizeAsync(request))
        {
            return;
        }

        CheckPreconditions(request);
        await LockManager.CheckAsync(request);
        var result = await handler.PrepareAsync(request);
        for (var attempt = 1; result is null; attempt++)
        {
            try
            {
                result = await ApplyAsync(request, handler);
            }
            catch (StoreException ex) when (ex.Error == StoreError.Retry && attempt < WriteAttempts)
            {
                Log.WriteRetried(logger, request.Request.Method, request.Path.ToString(), attempt);
            }
        }

        await request.RunAfterCommitAsync();
        await result.ExecuteAsync(request);
    }

    /// <summary>
    /// Resolves the request's item (creating the user's home folder on first use) and asks the authorizer about every
    /// access the request needs. False when the request was answered with a challenge (401); 403 when denied.
    /// </summary>
    private static async Task<bool> ResolveAndAuthorizeAsync(DavRequest request)
    {
        request.Item = await request.ResolveAsync(request.Path) ?? await HomeFolders.EnsureAsync(request);
        return await DavAuthorization.AuthorizeRequestAsync(request);
    }

    private async Task<DavResult> ApplyAsync(DavRequest request, IWriteHandler handler)
    {
        await using var unit = await BeginAsync(request, UnitOfWorkMode.Write);

        // The answer to the first look may be stale: what counts is what the unit of work sees.
        request.Item = await request.ResolveAsync(request.Path);
        CheckPreconditions(request);
        await LockManager.CheckAsync(request);
        try
        {
            var result = await handler.ApplyAsync(request);
            if (result.Commits)
            {
                await unit.CommitAsync(request.Aborted);
            }
            else
            {
                request.ClearAfterCommit();
            }

            return result;
        }
        catch
        {
            request.ClearAfterCommit();
            throw;
        }
    }

    private static async Task<UnitOfWorkScope> BeginAsync(DavRequest request, UnitOfWorkMode mode)
    {
        var unit = await request.Store.BeginAsync(request.StoreContext, mode, request.Aborted);
        request.StoreContext.UnitOfWork = unit;
        return new UnitOfWorkScope(request.StoreContext, unit);
    }

    /// <summary>Ends a unit of work (rolled back unless committed) and takes it off the store context.</summary>
    private sealed class UnitOfWorkScope(StoreContext context, IUnitOfWork unit) : IAsyncDisposable
    {
        public ValueTask CommitAsync(CancellationToken cancellationToken) => unit.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            context.UnitOfWork = null;
            await unit.DisposeAsync();
        }
    }

    /// <summary>Holds the request once it exists, for the log line and the status mapping.</summary>
    private sealed class RequestState
    {
        public DavRequest? Request { get; set; }
    }

    /// <summary>Runs <paramref name="work"/> and turns every failure into a response, in this one place.</summary>
    private async Task RunAsync(HttpContext http, Func<RequestState, Task> work)
    {
        var started = time.GetTimestamp();
        var method = http.Request.Method;
        var logPath = http.Request.PathBase.Add(http.Request.Path).ToString();
        var state = new RequestState();
        http.Request.Body = new ClientBody(http.Request.Body, http.RequestAborted);
        try
        {
            LiftBodyLimit(http);
            await work(state);
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // Nobody reads an answer now; 499 (client closed request, as Kestrel logs it) keeps the log line honest.
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = 499;
            }

            Log.RequestAborted(logger, method, logPath);
        }
        catch (DavException ex)
        {
            Log.RequestRefused(logger, method, logPath, ex.StatusCode, ex.Message);
            var body = ex.Condition is null ? null : ErrorBody.Render(ex.Condition, (ex as LockedException)?.Hrefs);
            await AnswerAsync(http, ex.StatusCode, body, ex.Message);
        }
        catch (StoreException ex)
        {
            var status = StoreStatuses.For(state.Request?.Handler, ex.Error);
            Log.RequestRefused(logger, method, logPath, status, ex.Message);
            await AnswerAsync(http, status, null, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own verdict on the body: too large, truncated, malformed chunking.
            Log.RequestRefused(logger, method, logPath, ex.StatusCode, ex.Message);
            await AnswerAsync(http, ex.StatusCode, null, ex.Message);
        }
        catch (Exception ex)
        {
            if (http.Response.HasStarted)
            {
                Log.FailedAfterStart(logger, method, logPath, ex);
                http.Abort();
            }
            else
            {
                Log.RequestFailed(logger, method, logPath, ex);
                await AnswerAsync(http, StatusCodes.Status500InternalServerError, null, ex.ToString());
            }
        }
        finally
        {
            var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
            Log.RequestCompleted(logger, method, logPath, http.Response.StatusCode, state.Request?.BytesSent ?? 0, elapsed);
        }
    }

    /// <summary>
    /// Applies If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since, before the handler; GET and HEAD
    /// of a file apply them to the version they send instead. False when the request was answered (304). RFC 9110
    /// §13.2.1: preconditions are ignored where the answer without them would not be 2xx, so on a missing item they
    /// only count for methods that create one.
    /// </summary>
    private bool CheckPreconditions(DavRequest request)
    {
        var method = request.Request.Method;
        if (HttpMethods.IsOptions(method)
            || (request.Item is IFile && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)))
            || (request.Item is null && !HttpMethods.IsPut(method) && method is not "MKCOL" and not "LOCK"))
        {
            return true;
        }

        var etag = request.Item is IFile file ? file.ETag : null;
        switch (Preconditions.Evaluate(request.Request, request.Item is not null, etag, request.Item?.ModifiedUtc, time.GetUtcNow()))
        {
            case PreconditionResult.Failed:
                throw new DavException(StatusCodes.Status412PreconditionFailed, "A conditional request header did not hold.");
            case PreconditionResult.NotModified:
                request.Response.StatusCode = StatusCodes.Status304NotModified;
                return false;
            default:
                return true;
        }
    }

    private void LiftBodyLimit(HttpContext http)
    {
        // Kestrel caps bodies at 30 MB by default; WebDAV uploads are files of any size (streamed, never buffered).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxRequestBodySize;
        }
    }

    private static (DavPath Path, string HrefPrefix, string RawPath) ResolvePath(HttpContext http, DavMount mount)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = (http.Request.PathBase + http.Request.Path).ToUriComponent();
        }

        if (!RequestTarget.TryGetRawPath(raw, out var rawPath, out _))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The request target is not a path.");
        }

        var segments = new List<string>();
        if (!PathCodec.TryDecodeSegments(rawPath, segments))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The request path has an invalid segment.");
        }

        // Without a path base (the usual case) the mount's segments and href were worked out once, at mapping time.
        var pathBase = http.Request.PathBase;
        var mountSegments = pathBase.HasValue ? (pathBase.Value + mount.Prefix).Split('/', StringSplitOptions.RemoveEmptyEntries) : mount.Segments;
        if (!StartsWith(segments, mountSegments)
            || !DavPath.TryCreate(mountSegments.Length == 0 ? segments : segments.Skip(mountSegments.Length), out var path))
        {
            throw new DavException(StatusCodes.Status404NotFound, "The request path is not below the WebDAV mount.");
        }

        return (path, pathBase.HasValue ? PathCodec.EncodePath(mountSegments) : mount.HrefPrefix, rawPath.ToString());
    }

    private static bool StartsWith(List<string> segments, string[] prefix)
    {
        if (segments.Count < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (!string.Equals(segments[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private async Task AnswerAsync(HttpContext http, int statusCode, string? xmlBody, string detail)
    {
        if (http.Response.HasStarted)
        {
            http.Abort();
            return;
        }

        http.Response.Clear();
        http.Response.StatusCode = statusCode;
        if (http.Request.Body is ClientBody { Ended: false } && Xml.XmlRequestReader.MayHaveBody(http.Request))
        {
            // Refused before its body was read to the end: Kestrel would read the rest (gigabytes, maybe) to keep the
            // connection open; closing it costs the client one reconnect.
            http.Response.Headers.Connection = "close";
        }

        if (statusCode == StatusCodes.Status503ServiceUnavailable)
        {
            // The store's backing service is down or busy: worth asking again soon.
            http.Response.Headers.RetryAfter = "5";
        }

        if (xmlBody is not null)
        {
            http.Response.ContentType = "application/xml; charset=utf-8";
            await http.Response.WriteAsync(xmlBody, http.RequestAborted);
        }
        else if (isDevelopment && statusCode >= 400)
        {
            // Exception text reaches clients only in development.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(detail, http.RequestAborted);
        }
    }
}
