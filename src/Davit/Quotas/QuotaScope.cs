using Davit.Engine;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Quotas;

/// <summary>
/// What one request knows about quotas: the application's provider (or none), where the store keeps its counts (or
/// nowhere), and which upload sessions this request has already turned into files (their bytes are counted as the
/// files now, not as uploads in progress).
/// </summary>
internal sealed class QuotaScope
{
    private const int WriteAttempts = 3;

    // Deeper than any path a store holds; a walk that goes on is going round a loop of links.
    private const int MaxWalkDepth = 4096;

    private readonly DavRequest request;
    private readonly HashSet<string> consumed = new(StringComparer.Ordinal);
    private Dictionary<DavPath, long>? readCache;

    private QuotaScope(DavRequest request, IDavQuotaProvider? provider)
    {
        this.request = request;
        Provider = provider;
    }

    /// <summary>The application's quotas, or null when it has none.</summary>
    public IDavQuotaProvider? Provider { get; }

    /// <summary>Where the store keeps counts for the unit of work now running (or outside one), or null.</summary>
    public IUsageLedger? Ledger => request.StoreContext.UnitOfWork as IUsageLedger ?? request.Store as IUsageLedger;

    /// <summary>False when there is nothing to check and nothing to keep: the engine's default costs nothing more.</summary>
    public bool IsActive => Provider is not null || Ledger is not null;

    public static QuotaScope Of(DavRequest request)
    {
        var items = request.StoreContext.Items;
        if (items.TryGetValue(typeof(QuotaScope), out var found) && found is QuotaScope scope)
        {
            return scope;
        }

        scope = new QuotaScope(request, request.Http.RequestServices.GetService<IDavQuotaProvider>());
        items[typeof(QuotaScope)] = scope;
        return scope;
    }

    /// <summary>The quotas that govern <paramref name="path"/>.</summary>
    public async ValueTask<IReadOnlyList<DavQuota>> QuotasAsync(DavPath path)
    {
        if (Provider is null)
        {
            return [];
        }

        var quotas = await Provider.GetQuotasAsync(path, request.StoreContext.User, request.Aborted);
        return quotas.Count == 0 ? quotas : [.. quotas.Where(q => path.IsSameOrDescendantOf(q.Folder))];
    }

    /// <summary>Marks a session whose bytes this request stores as a file: it no longer counts as an upload.</summary>
    public void Consumed(UploadSession session) => consumed.Add(session.Id);

    /// <summary>
    /// The bytes counted against a quota on <paramref name="folder"/>: its files, plus its uploads in progress other
    /// than <paramref name="except"/>. In a write unit of work (<paramref name="write"/>), a missing or old count is
    /// counted again and kept; outside one, it is counted and not kept.
    /// </summary>
    public async ValueTask<long> UsedAsync(DavPath folder, bool write, string? except = null)
    {
        if (!write && readCache is not null && readCache.TryGetValue(folder, out var cached))
        {
            return cached;
        }

        var used = await FilesAsync(folder, write);
        if (request.Sessions is { } sessions)
        {
            foreach (var session in await sessions.ListAsync(folder, request.Now, request.Aborted))
            {
                if (session.Id != except && !consumed.Contains(session.Id))
                {
                    used += Charge(session);
                }
            }
        }

        if (!write)
        {
            (readCache ??= [])[folder] = used;
        }

        return used;
    }

    /// <summary>The bytes of file content at or below <paramref name="path"/>, counted now.</summary>
    public async ValueTask<long> CountAsync(DavPath path) =>
        Ledger is { } ledger ? await ledger.CountAsync(path, request.Aborted) : await WalkAsync(path);

    /// <summary>
    /// What an upload in progress holds back from its quota: the length it announced, so that an upload admitted
    /// once can always finish; or, with none, the bytes it has. A form POST's parts carry the whole POST's length (for
    /// the progress report), not their own, so they count by their bytes.
    /// </summary>
    public static long Charge(UploadSession session) =>
        UploadState.Of(session, UploadState.FormProtocol) is not null ? session.BytesSaved : Math.Max(session.BytesSaved, session.TotalLength ?? 0);

    /// <summary>
    /// Runs <paramref name="work"/> in a write unit of work of its own (for the checks of uploads, whose bytes are
    /// written outside any), and commits it; runs it again when the store asks for a retry.
    /// </summary>
    public async ValueTask<T> InWriteAsync<T>(Func<ValueTask<T>> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            var unit = await request.Store.BeginAsync(request.StoreContext, UnitOfWorkMode.Write, request.Aborted);
            request.StoreContext.UnitOfWork = unit;
            try
            {
                var result = await work();
                await unit.CommitAsync(request.Aborted);
                return result;
            }
            catch (StoreException ex) when (ex.Error == StoreError.Retry && attempt < WriteAttempts)
            {
                // Lost a race with another writer and rolled back: the check runs again on what is there now.
            }
            finally
            {
                request.StoreContext.UnitOfWork = null;
                await unit.DisposeAsync();
            }
        }
    }

    private async ValueTask<long> FilesAsync(DavPath folder, bool write)
    {
        if (Ledger is not { } ledger)
        {
            return await WalkAsync(folder);
        }

        var now = request.Now;
        var interval = request.Options.QuotaRecountInterval;
        foreach (var row in await ledger.GetAsync(folder, request.Aborted))
        {
            if (row.Folder == folder && (!write || interval == Timeout.InfiniteTimeSpan || now - row.CountedUtc < interval))
            {
                return row.Bytes;
            }
        }

        var bytes = await ledger.CountAsync(folder, request.Aborted);
        if (write)
        {
            await ledger.SetAsync(new UsageCount(folder, bytes, now), request.Aborted);
        }

        return bytes;
    }

    /// <summary>The engine's count for a store that keeps none: a walk of the tree with the store's primitives.</summary>
    private async ValueTask<long> WalkAsync(DavPath path)
    {
        var top = await request.ResolveAsync(path);
        if (top is not IFolder folder)
        {
            return (top as IFile)?.ContentLength ?? 0;
        }

        var bytes = 0L;
        var pending = new Stack<(IFolder Folder, int Depth)>();
        pending.Push((folder, 0));
        while (pending.TryPop(out var entry))
        {
            if (entry.Depth > MaxWalkDepth)
            {
                throw new StoreException(StoreError.LoopDetected, $"'{path}' is deeper than {MaxWalkDepth} folders; it cannot be counted.");
            }

            await foreach (var child in entry.Folder.GetChildrenAsync(PropertySelection.None, request.Aborted))
            {
                if (child is IFile file)
                {
                    bytes += file.ContentLength;
                }
                else if (child is IFolder member)
                {
                    pending.Push((member, entry.Depth + 1));
                }
            }
        }

        return bytes;
    }
}
