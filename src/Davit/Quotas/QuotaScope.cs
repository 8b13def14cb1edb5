using Davit.Engine;
using Davit.Storage;
using Davit.Uploads;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Quotas;

/// <summary>
/// What one request knows about quotas: the application's provider (or none), how the store counts bytes, and which
/// upload sessions this request is turning into files (their bytes count as the files, not as uploads in progress).
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

    /// <summary>The application's quotas, or null when it has none (then the engine spends nothing on quotas).</summary>
    public IDavQuotaProvider? Provider { get; }

    private IUsageCounter? Counter => request.StoreContext.UnitOfWork as IUsageCounter ?? request.Store as IUsageCounter;

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

    /// <summary>The quotas that govern <paramref name="path"/> (on it or on a folder above it).</summary>
    public async ValueTask<IReadOnlyList<DavQuota>> QuotasAsync(DavPath path)
    {
        if (Provider is null)
        {
            return [];
        }

        var quotas = await Provider.GetQuotasAsync(path, request.StoreContext.User, request.Aborted);
        return quotas.Count == 0 ? quotas : [.. quotas.Where(q => path.IsSameOrDescendantOf(q.Folder) && q.LimitBytes >= 0)];
    }

    /// <summary>Marks a session whose bytes this request stores as a file: it no longer counts as an upload.</summary>
    public void Consumed(UploadSession session) => consumed.Add(session.Id);

    /// <summary>
    /// The bytes counted against a quota on <paramref name="folder"/>, counted now: its files, plus its uploads in
    /// progress other than <paramref name="except"/> and those this request is storing. A write calls it inside its
    /// unit of work; a PROPFIND (<paramref name="cached"/>) counts each folder once per request.
    /// </summary>
    public async ValueTask<long> UsedAsync(DavPath folder, string? except = null, bool cached = false)
    {
        if (cached && readCache is not null && readCache.TryGetValue(folder, out var known))
        {
            return known;
        }

        var used = await CountAsync(folder);
        if (request.Sessions is { } sessions)
        {
            foreach (var session in await sessions.ListAsync(folder, request.Now, request.Aborted))
            {
                if (session.Id != except && !consumed.Contains(session.Id))
                {
                    used += await NetChargeAsync(session, Charge(session));
                }
            }
        }

        if (cached)
        {
            (readCache ??= [])[folder] = used;
        }

        return used;
    }

    /// <summary>The bytes of file content at or below <paramref name="path"/>, counted now.</summary>
    public async ValueTask<long> CountAsync(DavPath path) =>
        Counter is { } counter ? await counter.CountBytesAsync(path, request.Aborted) : await WalkAsync(path);

    /// <summary>
    /// What an upload in progress holds back from its quota: the length it announced, so that an upload admitted once
    /// can always finish; or, with none, the bytes it has. A form POST's parts carry the whole POST's length (for the
    /// progress report), not their own, so they count by their bytes.
    /// </summary>
    public static long Charge(UploadSession session) =>
        UploadState.Of(session, UploadState.FormProtocol) is not null ? session.BytesSaved : Math.Max(session.BytesSaved, session.TotalLength ?? 0);

    /// <summary>
    /// What an upload holding back <paramref name="charge"/> bytes adds to its quota beyond the file it will replace,
    /// which is counted already: the bytes it will add once it is stored, and never less than nothing.
    /// </summary>
    public async ValueTask<long> NetChargeAsync(UploadSession session, long charge)
    {
        if (charge == 0)
        {
            return 0;
        }

        var replaced = await request.ResolveAsync(session.Path) as IFile;
        return Math.Max(0, charge - (replaced?.ContentLength ?? 0));
    }

    /// <summary>
    /// How much more the uploads in progress under <paramref name="folder"/> hold back once a COPY or MOVE of
    /// <paramref name="source"/> to <paramref name="destination"/> is done (less when negative). An upload counts net of
    /// the file it will replace (<see cref="NetChargeAsync"/>): a MOVE that takes that file away leaves it holding its
    /// whole length, and a write that puts another file there changes what it is net of.
    /// </summary>
    public async ValueTask<long> UploadTargetsChangeAsync(DavPath folder, DavPath source, DavPath destination, bool isMove, bool deep)
    {
        if (request.Sessions is not { } sessions)
        {
            return 0;
        }

        var change = 0L;
        foreach (var session in await sessions.ListAsync(folder, request.Now, request.Aborted))
        {
            var movedAway = isMove && session.Path.IsSameOrDescendantOf(source);
            var replaced = session.Path.IsSameOrDescendantOf(destination);
            var charge = Charge(session);
            if (consumed.Contains(session.Id) || !(movedAway || replaced) || charge == 0)
            {
                continue;
            }

            // What will be at the upload's path afterwards: the source's counterpart of it when the write puts one
            // there, nothing when it moves the file away (or a shallow copy leaves the folder empty).
            var after = 0L;
            if (replaced && (deep || session.Path == destination))
            {
                after = (await request.ResolveAsync(session.Path.Rebase(destination, source)) as IFile)?.ContentLength ?? 0;
            }

            change += Math.Max(0, charge - after) - await NetChargeAsync(session, charge);
        }

        return change;
    }

    /// <summary>True once the request's writes were checked as a whole (a form POST's parts): each part's own
    /// check is then skipped.</summary>
    public bool Admitted { get; set; }

    /// <summary>
    /// Runs <paramref name="work"/> in a write unit of work of its own (for the checks of uploads, whose bytes are
    /// written outside any) and commits it, so that it takes its place in the serial order of writes; runs it again
    /// when the store asks for a retry.
    /// </summary>
    public async ValueTask<T> InWriteAsync<T>(Func<ValueTask<T>> work)
    {
        if (request.StoreContext.UnitOfWork is not null)
        {
            throw new InvalidOperationException("A quota check of an upload runs outside the request's unit of work.");
        }

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

    /// <summary>The engine's count for a store that has no counter: a walk of the tree with the store's primitives.</summary>
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
