using System.Collections.Frozen;
using Davit.Authorization;
using Davit.Diagnostics;
using Davit.Engine.Methods;
using Davit.Hosting;
using Davit.Http;
using Davit.Locking;
using Davit.Uploads;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Davit.Engine;

/// <summary>
/// The request pipeline: decode the path, look up the handler, resolve the item once, run the handler, and turn
/// every failure into a response in exactly one place. Thread safe; one instance serves all requests.
/// </summary>
internal sealed class DavEngine
{
    private readonly FrozenDictionary<string, IMethodHandler> handlers;
    private readonly DavOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly bool isDevelopment;

    public DavEngine(IOptions<DavOptions> options, ILoggerFactory loggerFactory, TimeProvider time, IHostEnvironment? environment = null)
    {
        this.options = options.Value;
        logger = loggerFactory.CreateLogger("Davit");
        this.time = time;
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
            ["REPORT"] = new ReportHandler(),
            ["CANCELUPLOAD"] = new CancelUploadHandler(),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public Task ProcessAsync(HttpContext http, DavMount mount) => RunAsync(http, async request =>
    {
        if (!handlers.TryGetValue(http.Request.Method, out var handler))
        {
            throw new DavException(StatusCodes.Status501NotImplemented, $"The method {http.Request.Method} is not implemented.");
        }

        var (visible, hrefPrefix) = ResolvePath(http, mount);
        var home = await HomeFolders.GetAsync(http);
        var path = HomeFolders.ToStore(home, visible);
        var store = http.RequestServices.GetRequiredService<IDavStore>();
        var context = request.Context = new DavContext(http, store, options, logger, hrefPrefix, path)
        {
            Home = home,
            Time = time,
            Locks = LockStore(http, store),
            Uploads = Uploads(http, store),
        };
        context.Item = await context.ResolveAsync(path) ?? await HomeFolders.EnsureAsync(context);
        if (await DavAuthorization.AuthorizeRequestAsync(context) && CheckPreconditions(context))
        {
            await LockManager.CheckAsync(context);
            await handler.HandleAsync(context);
        }
    });

    /// <summary>
    /// Answers OPTIONS and PROPFIND at <paramref name="parentSegments"/>, a path above the mount ("/" when the store
    /// is mounted at "/dav"): the Windows mini-redirector asks there before it maps a drive, and gives up on a 404.
    /// OPTIONS advertises what the mount offers; PROPFIND describes a read-only collection whose one member is the
    /// next collection on the way to the mount.
    /// </summary>
    public Task ProcessAboveMountAsync(HttpContext http, DavMount mount, string[] parentSegments) => RunAsync(http, async request =>
    {
        var store = http.RequestServices.GetRequiredService<IDavStore>();
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            // No locks or uploads live up here, but OPTIONS tells what the mount offers.
            OptionsHandler.Advertise(http.Response, LockStore(http, store) is not null, Uploads(http, store) is not null);
            http.Response.Headers.Allow = "OPTIONS, PROPFIND";
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentLength = 0;
            return;
        }

        var mountSegments = mount.Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var root = await store.GetHierarchyItemAsync(DavPath.Root, new DavRequestContext(http), http.RequestAborted);
        var created = root?.CreatedUtc ?? DateTimeOffset.UnixEpoch;
        var modified = root?.ModifiedUtc ?? DateTimeOffset.UnixEpoch;
        var here = (http.Request.PathBase.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(parentSegments);
        var context = request.Context = new DavContext(http, store, options, logger, PathCodec.EncodePath(here), DavPath.Root)
        {
            Time = time,
            Item = new MountParentFolder(DavPath.Root, mountSegments[parentSegments.Length], created, modified),
        };

        await handlers["PROPFIND"].HandleAsync(context);
    });

    /// <summary>Holds the request's context once it exists, for the log line.</summary>
    private sealed class RequestState
    {
        public DavContext? Context { get; set; }
    }

    /// <summary>Runs <paramref name="work"/> and turns every failure into a response, in this one place.</summary>
    private async Task RunAsync(HttpContext http, Func<RequestState, Task> work)
    {
        var started = time.GetTimestamp();
        var method = http.Request.Method;
        var logPath = http.Request.PathBase.Add(http.Request.Path).ToString();
        var request = new RequestState();
        try
        {
            LiftBodyLimit(http);
            await work(request);
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
            Log.RequestCompleted(logger, method, logPath, http.Response.StatusCode, request.Context?.BytesSent ?? 0, elapsed);
        }
    }

    /// <summary>
    /// Applies If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since once, before the handler. False
    /// when the request was answered (304). RFC 9110 §13.2.1: preconditions are ignored where the answer without
    /// them would not be 2xx, so on a missing item they only count for methods that create one.
    /// </summary>
    private bool CheckPreconditions(DavContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsOptions(method) || (context.Item is null && !HttpMethods.IsPut(method) && method is not "MKCOL" and not "LOCK"))
        {
            return true;
        }

        switch (Preconditions.Evaluate(context.Request, context.Item, time.GetUtcNow()))
        {
            case PreconditionResult.Failed:
                throw new DavException(StatusCodes.Status412PreconditionFailed, "A conditional request header did not hold.");
            case PreconditionResult.NotModified:
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                if (context.Item is IFile file)
                {
                    ContentSender.WriteValidators(context.Response, file);
                }

                return false;
            default:
                return true;
        }
    }

    private ILockStore? LockStore(HttpContext http, IDavStore store) =>
        options.EnableLocking ? store as ILockStore ?? http.RequestServices.GetService<ILockStore>() : null;

    private UploadServices? Uploads(HttpContext http, IDavStore store)
    {
        if (!options.EnableResumableUploads)
        {
            return null;
        }

        var services = http.RequestServices;
        var sessions = store as IUploadSessionStore ?? services.GetRequiredService<IUploadSessionStore>();
        return new UploadServices(sessions, services.GetRequiredService<UploadGate>(), services.GetRequiredService<UploadProgressRegistry>());
    }

    private void LiftBodyLimit(HttpContext http)
    {
        // Kestrel caps bodies at 30 MB by default; WebDAV uploads are files of any size (streamed, never buffered).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxRequestBodySize;
        }
    }

    private static (DavPath Path, string HrefPrefix) ResolvePath(HttpContext http, DavMount mount)
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

        var mountSegments = (http.Request.PathBase.Value + mount.Prefix).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Count < mountSegments.Length
            || !segments.Take(mountSegments.Length).SequenceEqual(mountSegments, StringComparer.Ordinal)
            || !DavPath.TryCreate(segments.Skip(mountSegments.Length), out var path))
        {
            throw new DavException(StatusCodes.Status404NotFound, "The request path is not below the WebDAV mount.");
        }

        return (path, PathCodec.EncodePath(mountSegments));
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
