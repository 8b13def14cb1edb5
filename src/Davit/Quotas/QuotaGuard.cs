using Davit.Engine;
using Davit.Storage;
using Davit.Uploads;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Quotas;

/// <summary>
/// Where writes of content meet the quotas (RFC 4331 §6). A file's write is checked inside its unit of work, where
/// the check and the write take their place in the same serial order as every other write, so two writers racing
/// for the last bytes can never both get them. An upload reserves its announced length when it starts, in a unit of
/// work of its own, and its bytes are checked before they are written (outside any, like the bytes themselves).
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
        if (!scope.IsActive)
        {
            return default;
        }

        if (content.Session is { } session)
        {
            scope.Consumed(session);
        }

        var oldLength = (existing as IFile)?.ContentLength ?? 0;
        if (content.Length is not { } newLength)
        {
            // Known only once the store has read it: checked afterwards, and the unit of work rolled back if need be.
            return new ContentCheck(true, oldLength, false);
        }

        await RequireRoomAsync(request, scope, path, newLength - oldLength, afterWrite: false);
        return new ContentCheck(true, oldLength, true);
    }

    /// <summary>After the write, still inside the unit of work: the check of a body of unknown length, and the
    /// store's counts brought up to date.</summary>
    public static async ValueTask AfterContentAsync(DavRequest request, DavPath path, ContentCheck check, IFile written)
    {
        if (!check.Active)
        {
            return;
        }

        var scope = QuotaScope.Of(request);
        var delta = written.ContentLength - check.OldLength;
        if (!check.Checked)
        {
            await RequireRoomAsync(request, scope, path, delta, afterWrite: true);
        }

        if (delta != 0 && scope.Ledger is { } ledger)
        {
            await ledger.AddAsync(path, delta, request.Aborted);
        }
    }

    /// <summary>
    /// Starts an upload session for <paramref name="path"/> and reserves its announced length against the quotas: in
    /// a unit of work of its own, where the session is deleted again (and 507 answered) when the length does not fit
    /// beside what the folder holds, uploads in progress included. Of two uploads started at once for the last bytes,
    /// the first one checked is refused only if it cannot fit beside the other, and then the other fits.
    /// </summary>
    public static async ValueTask<UploadSession> CreateSessionAsync(DavRequest request, DavPath path, long? totalLength, string? contentType)
    {
        var sessions = request.SessionStore!;
        var now = request.Now;
        var session = await sessions.CreateAsync(path, totalLength, contentType, now, now + request.Options.UploadExpiration, request.Aborted);
        var scope = QuotaScope.Of(request);
        var charge = QuotaScope.Charge(session);
        if (charge == 0 || await scope.QuotasAsync(path) is not { Count: > 0 } quotas)
        {
            return session;
        }

        var refused = await scope.InWriteAsync(async () =>
        {
            var over = await OverAsync(scope, quotas, charge, session.Id);
            if (over is not null)
            {
                // In the unit of work that found it over: whoever checks next sees the room it leaves.
                await request.Sessions!.DeleteAsync(session, request.Aborted);
            }

            return over;
        });
        if (refused is { } quota)
        {
            throw Exceeded(quota, charge);
        }

        return session;
    }

    /// <summary>
    /// Before bytes are written into <paramref name="session"/> at <paramref name="offset"/>: 507 when the upload would
    /// grow past what its quotas leave (an upload that announced its length reserved it already, and never grows
    /// past it). For a body of unknown length, returns how many bytes it may bring, or null when that is unlimited.
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

        var byBytes = UploadState.Of(session, UploadState.FormProtocol) is not null;
        var reserved = byBytes ? 0 : totalLength ?? 0;
        var before = QuotaScope.Charge(session);
        if (length is { } count)
        {
            var after = Math.Max(offset + count, reserved);
            if (after <= before)
            {
                return null;
            }

            var over = await scope.InWriteAsync(() => OverAsync(scope, quotas, after, session.Id));
            return over is { } quota ? throw Exceeded(quota, after - before) : null;
        }

        if (reserved > 0)
        {
            // The body cannot go past the length (the protocols cut it off there), which is reserved once it fits.
            var over = reserved > before ? await scope.InWriteAsync(() => OverAsync(scope, quotas, reserved, session.Id)) : null;
            return over is { } quota ? throw Exceeded(quota, reserved - before) : null;
        }

        // Neither the body's length nor the upload's is known: the body may bring what is left now, and the write
        // that makes it a file checks again, exactly.
        var room = await scope.InWriteAsync(async () =>
        {
            var least = long.MaxValue;
            foreach (var quota in quotas)
            {
                least = Math.Min(least, quota.LimitBytes - await scope.UsedAsync(quota.Folder, write: true, except: session.Id));
            }

            return least;
        });
        return Math.Max(0, room - offset);
    }

    /// <summary>The 507 a write that does not fit is answered with (RFC 4331 §6).</summary>
    public static DavException Exceeded(DavQuota quota, long bytes) =>
        new(StatusCodes.Status507InsufficientStorage,
            $"The quota of {quota.LimitBytes} bytes on /{quota.Folder} leaves no room for {bytes} more bytes.", DavNames.QuotaNotExceeded);

    /// <summary>True for the 507 of a quota (rather than a full disk).</summary>
    public static bool IsExceeded(Exception exception) =>
        exception is DavException { StatusCode: StatusCodes.Status507InsufficientStorage } dav && dav.Condition == DavNames.QuotaNotExceeded;

    /// <summary>507 when <paramref name="added"/> more bytes at <paramref name="path"/> go past a quota; nothing
    /// happens for a write that adds nothing.</summary>
    internal static async ValueTask RequireRoomAsync(DavRequest request, QuotaScope scope, DavPath path, long added, bool afterWrite)
    {
        if (added <= 0 || scope.Provider is null)
        {
            return;
        }

        foreach (var quota in await scope.QuotasAsync(path))
        {
            // After the write, a store that keeps counts has not been told yet; a walk sees the new bytes already.
            var used = await scope.UsedAsync(quota.Folder, write: true) + (afterWrite && scope.Ledger is null ? 0 : added);
            if (used > quota.LimitBytes)
            {
                throw Exceeded(quota, added);
            }
        }
    }

    // The first quota that an upload holding back `charge` bytes would take past its limit, or null.
    private static async ValueTask<DavQuota?> OverAsync(QuotaScope scope, IReadOnlyList<DavQuota> quotas, long charge, string sessionId)
    {
        foreach (var quota in quotas)
        {
            if (await scope.UsedAsync(quota.Folder, write: true, except: sessionId) + charge > quota.LimitBytes)
            {
                return quota;
            }
        }

        return null;
    }
}
