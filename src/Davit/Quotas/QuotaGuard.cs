using Davit.Engine;
using Davit.Storage;
using Davit.Uploads;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Quotas;

/// <summary>
/// Where writes meet the quotas (RFC 4331 §6). A write of content, a COPY or a MOVE is checked inside its unit of work,
/// where the check and the write take their place in the same serial order as every other write, so two writers
/// racing for the last bytes can never both get them. An upload reserves its announced length when it starts, and
/// the bytes of one with no announced length are checked before they are written, each in a unit of work of its own.
/// </summary>
internal static class QuotaGuard
{
    /// <summary>What a content write knew before it ran, for <see cref="AfterContentAsync"/>.</summary>
    internal readonly record struct ContentCheck(bool Active, long OldLength, bool Checked);

    /// <summary>
    /// Before <paramref name="content"/> replaces <paramref name="existing"/> (or creates a file) at
    /// <paramref name="path"/>, inside the unit of work: 507 when it would take a folder past its quota. Bytes of a
    /// finished upload count as the file from now on, not as the upload.
    /// </summary>
    public static async ValueTask<ContentCheck> BeforeContentAsync(DavRequest request, DavPath path, IHierarchyItem? existing, FileContent content)
    {
        var scope = QuotaScope.Of(request);
        if (scope.Provider is null)
        {
            return default;
        }

        if (content.Session is { } session)
        {
            scope.Consumed(session);

            // An upload that announced its length reserved that room when it started (or when it gave the length),
            // and every write since was checked beside the reservation: its bytes fit. Checking them again here
            // could refuse it because of an upload started later and not checked yet, which would then be refused
            // too while this one's bytes still counted: two losers and no winner.
            if (session.TotalLength is { } reserved && content.Length is { } length && length <= reserved
                && UploadState.Of(session, UploadState.FormProtocol) is null)
            {
                return default;
            }
        }

        if (scope.Admitted)
        {
            return default;
        }

        var oldLength = (existing as IFile)?.ContentLength ?? 0;
        if (content.Length is not { } newLength)
        {
            // Known only once the store has read it: checked afterwards, and the unit of work rolled back if need be.
            return new ContentCheck(true, oldLength, false);
        }

        await RequireRoomAsync(request, path, newLength - oldLength, written: false);
        return new ContentCheck(true, oldLength, true);
    }

    /// <summary>After the write, still inside the unit of work: the check of a body whose length was not known.</summary>
    public static async ValueTask AfterContentAsync(DavRequest request, DavPath path, ContentCheck check)
    {
        if (check.Active && !check.Checked)
        {
            // Read again: an item the store wrote through need not show its new length.
            var length = (await request.ResolveAsync(path) as IFile)?.ContentLength ?? 0;
            await RequireRoomAsync(request, path, length - check.OldLength, written: true);
        }
    }

    /// <summary>
    /// Before a COPY or MOVE of <paramref name="source"/> to <paramref name="destination"/>, inside the unit of work:
    /// 507 when the bytes it brings into a folder under a quota (less those of the <paramref name="replaced"/>
    /// destination) do not fit there. A MOVE within one quota's folder brings nothing into it, except when it moves
    /// away (or replaces) the file an upload in progress will replace: that upload was counted net of that file, and
    /// now holds back its whole length.
    /// </summary>
    public static async ValueTask BeforeTreeAsync(DavRequest request, IHierarchyItem source, DavPath destination, IHierarchyItem? replaced, bool isMove, bool deep)
    {
        var scope = QuotaScope.Of(request);
        var quotas = await scope.QuotasAsync(destination);
        if (quotas.Count == 0)
        {
            return;
        }

        var sourceBytes = source is IFile || deep ? await scope.CountAsync(source.Path) : 0;
        var replacedBytes = replaced is null ? 0 : await scope.CountAsync(destination);
        foreach (var quota in quotas)
        {
            var added = (isMove && source.Path.IsSameOrDescendantOf(quota.Folder) ? 0 : sourceBytes) - replacedBytes
                + await scope.UploadTargetsChangeAsync(quota.Folder, source.Path, destination, isMove, deep || source is IFile);
            if (added > 0 && await scope.UsedAsync(quota.Folder) + added > quota.LimitBytes)
            {
                throw Exceeded(quota, added);
            }
        }
    }

    /// <summary>
    /// Starts an upload session for <paramref name="path"/> and reserves its announced length against the quotas: in a
    /// unit of work of its own, where the session is deleted again (and 507 answered) when the length does not fit
    /// beside what the folder holds, uploads in progress included. Of two uploads started at once for the last bytes,
    /// the first one checked is refused only if it cannot fit beside the other, and then the other fits.
    /// </summary>
    public static async ValueTask<UploadSession> CreateSessionAsync(DavRequest request, DavPath path, long? totalLength, string? contentType)
    {
        var now = request.Now;
        var session = await request.SessionStore!.CreateAsync(path, totalLength, contentType, now, now + request.Options.UploadExpiration, request.Aborted);
        var scope = QuotaScope.Of(request);
        var charge = QuotaScope.Charge(session);
        if (charge == 0 || await scope.QuotasAsync(path) is not { Count: > 0 } quotas)
        {
            return session;
        }

        var refused = await scope.InWriteAsync(async () =>
        {
            var over = await OverAsync(scope, quotas, charge, session);
            if (over is not null)
            {
                // In the unit of work that found it over: whoever checks next sees the room it leaves.
                await request.Sessions!.DeleteAsync(session, request.Aborted);
            }

            return over;
        });
        return refused is { } quota ? throw Exceeded(quota, charge) : session;
    }

    /// <summary>
    /// Before bytes are written into <paramref name="session"/> at <paramref name="offset"/>: 507 when the upload would
    /// grow past what its quotas leave (an upload that announced its length reserved it already, and never grows past
    /// it). For a body of unknown length, returns how many bytes it may bring, or null when that is unlimited.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The session as last read.</param>
    /// <param name="offset">Where the bytes go.</param>
    /// <param name="length">How many bytes come, or null when unknown.</param>
    /// <param name="totalLength">The upload's length after this write (a length given now, or the one it has), or
    /// null when still unknown.</param>
    public static async ValueTask<long?> BeforeUploadBytesAsync(DavRequest request, UploadSession session, long offset, long? length, long? totalLength)
    {
        var scope = QuotaScope.Of(request);
        if (scope.Provider is null || await scope.QuotasAsync(session.Path) is not { Count: > 0 } quotas)
        {
            return null;
        }

        var reserved = UploadState.Of(session, UploadState.FormProtocol) is not null ? 0 : totalLength ?? 0;
        var before = QuotaScope.Charge(session);
        if (length is not null || reserved > 0)
        {
            // The body cannot go past the upload's length (the protocols cut it off there), so that is what it takes.
            var after = Math.Max(offset + (length ?? 0), reserved);
            if (after <= before)
            {
                return null;
            }

            var over = await scope.InWriteAsync(() => OverAsync(scope, quotas, after, session));
            return over is { } quota ? throw Exceeded(quota, after - before) : null;
        }

        // Neither the body's length nor the upload's is known: the body may bring what is left now, and the write that
        // makes it a file checks again, exactly.
        var room = await scope.InWriteAsync(async () =>
        {
            var least = long.MaxValue;
            foreach (var quota in quotas)
            {
                least = Math.Min(least, quota.LimitBytes - await scope.UsedAsync(quota.Folder, except: session.Id));
            }

            // The file the upload replaces is counted in the folder already, and goes when the upload is stored.
            return least + ((await request.ResolveAsync(session.Path) as IFile)?.ContentLength ?? 0);
        });
        return Math.Max(0, room - offset);
    }

    /// <summary>
    /// Once bodies of unknown length are staged in upload sessions (a chunked PUT, a form POST's files), before the
    /// write's own unit of work: 507 when they cannot fit, and the sessions deleted in the same unit of work, so that
    /// the answer is sent only once their room is free again. The write checks again, exactly, in its unit of work.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="parts">Where each body goes, and the body; all in one folder.</param>
    public static async ValueTask AdmitStagedAsync(DavRequest request, IReadOnlyList<(DavPath Path, FileContent Content)> parts)
    {
        var scope = QuotaScope.Of(request);
        var sessions = parts.Select(p => p.Content.Session).OfType<UploadSession>().ToList();
        if (scope.Provider is null || sessions.Count == 0 || await scope.QuotasAsync(parts[0].Path) is not { Count: > 0 } quotas)
        {
            return;
        }

        // From here on they count as the files they become, not as uploads in progress.
        sessions.ForEach(scope.Consumed);
        var refused = await scope.InWriteAsync(async () =>
        {
            var added = 0L;
            foreach (var target in parts.GroupBy(p => p.Path))
            {
                var replaced = (await request.ResolveAsync(target.Key) as IFile)?.ContentLength ?? 0;
                added += (target.Last().Content.Length ?? 0) - replaced;
            }

            foreach (var quota in quotas)
            {
                if (added > 0 && await scope.UsedAsync(quota.Folder) + added > quota.LimitBytes)
                {
                    foreach (var session in sessions)
                    {
                        await request.Sessions!.DeleteAsync(session, request.Aborted);
                    }

                    return ((DavQuota Quota, long Added)?)(quota, added);
                }
            }

            return null;
        });
        if (refused is { } over)
        {
            throw Exceeded(over.Quota, over.Added);
        }
    }

    /// <summary>
    /// Before the parts of a form POST replace or create the files <paramref name="parts"/> (each with its current
    /// length, 0 for a new file), inside the unit of work: 507 when all of them together would take the folder past a
    /// quota, so that either every part is stored or none is. A part of unknown length is checked on its own.
    /// </summary>
    public static async ValueTask BeforePartsAsync(DavRequest request, IReadOnlyList<(DavPath Path, FileContent Content, long OldLength)> parts)
    {
        var scope = QuotaScope.Of(request);
        if (scope.Provider is null || parts.Count == 0 || parts.Any(p => p.Content.Length is null))
        {
            return;
        }

        foreach (var part in parts)
        {
            if (part.Content.Session is { } session)
            {
                scope.Consumed(session);
            }
        }

        // A name given twice is stored twice; the last part is what stays.
        var added = parts.GroupBy(p => p.Path).Sum(g => g.Last().Content.Length!.Value - g.First().OldLength);
        await RequireRoomAsync(request, parts[0].Path, added, written: false);
        scope.Admitted = true;
    }

    /// <summary>
    /// The quota properties of the folder <paramref name="path"/> (RFC 4331 §3, §4): those of the quota with the least
    /// room left, or null when no quota governs it. Each quota's folder is counted once per request.
    /// </summary>
    public static async ValueTask<(long Used, long Available)?> PropertiesAsync(DavRequest request, DavPath path)
    {
        var scope = QuotaScope.Of(request);
        (long Used, long Available)? least = null;
        foreach (var quota in await scope.QuotasAsync(path))
        {
            var used = await scope.UsedAsync(quota.Folder, cached: true);
            var available = Math.Max(0, quota.LimitBytes - used);
            if (least is null || available < least.Value.Available)
            {
                least = (used, available);
            }
        }

        return least;
    }

    /// <summary>
    /// Deletes <paramref name="session"/> when the request ends, after its unit of work: bytes refused by a quota can
    /// never become the file, and must not hold back room for nothing. (Inside the unit of work, the deletion would be
    /// rolled back with the refused write.)
    /// </summary>
    public static void DiscardAtEnd(DavRequest request, UploadSession session) =>
        request.DisposeAtEnd(new SessionDiscard(request.SessionStore!, session));

    /// <summary>The 507 a write that does not fit is answered with (RFC 4331 §6).</summary>
    public static DavException Exceeded(DavQuota quota, long bytes) =>
        new(StatusCodes.Status507InsufficientStorage,
            $"The quota of {quota.LimitBytes} bytes on /{quota.Folder} leaves no room for {bytes} more bytes.", DavNames.QuotaNotExceeded);

    /// <summary>True for the 507 of a quota (rather than a full disk).</summary>
    public static bool IsExceeded(Exception exception) =>
        exception is DavException { StatusCode: StatusCodes.Status507InsufficientStorage } dav && dav.Condition == DavNames.QuotaNotExceeded;

    /// <summary>507 when <paramref name="added"/> more bytes at <paramref name="path"/> go past a quota (counted before
    /// the write, or after it when <paramref name="written"/>); a write that adds nothing is never refused, so that a
    /// folder over its quota can always be cleaned up.</summary>
    private static async ValueTask RequireRoomAsync(DavRequest request, DavPath path, long added, bool written)
    {
        if (added <= 0)
        {
            return;
        }

        var scope = QuotaScope.Of(request);
        foreach (var quota in await scope.QuotasAsync(path))
        {
            var used = await scope.UsedAsync(quota.Folder) + (written ? 0 : added);
            if (used > quota.LimitBytes)
            {
                throw Exceeded(quota, added);
            }
        }
    }

    // The first quota that an upload holding back `charge` bytes would take past its limit, or null.
    private static async ValueTask<DavQuota?> OverAsync(QuotaScope scope, IReadOnlyList<DavQuota> quotas, long charge, UploadSession session)
    {
        foreach (var quota in quotas)
        {
            if (await scope.UsedAsync(quota.Folder, except: session.Id) + await scope.NetChargeAsync(session, charge) > quota.LimitBytes)
            {
                return quota;
            }
        }

        return null;
    }

    private sealed class SessionDiscard(IUploadSessionStore sessions, UploadSession session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await sessions.DeleteAsync(session, CancellationToken.None);
            }
            catch (StoreException)
            {
                // Left to expire: it is only room held back until then.
            }
        }
    }
}
