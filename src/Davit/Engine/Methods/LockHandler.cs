using System.Text;
using System.Xml;
using System.Xml.Linq;
using Davit.Http;
using Davit.Locking;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// LOCK (RFC 4918 §9.10). With a DAV:lockinfo body it creates a lock: 200, or 201 when the URL was unmapped and a
/// locked empty file was created (the lock and the file in one unit of work); 423 with DAV:no-conflicting-lock when
/// another lock conflicts; 409 when the parent of an unmapped URL is missing; 400 for Depth 1 or a bad body. Without
/// a body it refreshes the lock whose token the If header names: 200, or 412 when no submitted token belongs to a lock
/// on this resource. The answer carries the lock's DAV:lockdiscovery and, for a new lock, the Lock-Token header.
/// </summary>
internal sealed class LockHandler : IWriteHandler
{
    private const string InfoKey = "davit.lock.info";

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        _ = request.Locks ?? throw new DavException(StatusCodes.Status501NotImplemented, "Locking is turned off.");
        var body = await XmlRequestReader.ReadAsync(request);
        LockInfo? info = null;
        if (body is not null)
        {
            if (!DavHeaders.TryParseDepth(request.Request.Headers["Depth"], Depth.Infinity, out var depth) || depth == Depth.One)
            {
                throw new DavException(StatusCodes.Status400BadRequest, "LOCK Depth must be 0 or infinity.");
            }

            info = ParseLockInfo(body, depth);
        }

        request.StoreContext.Items[InfoKey] = info;
        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var locks = request.Locks!;
        var timeout = TimeoutHeader.Choose(request.Request.Headers["Timeout"], request.Options.DefaultLockTimeout, request.Options.MaxLockTimeout);
        if (request.StoreContext.Items[InfoKey] is not LockInfo info)
        {
            return await RefreshAsync(request, locks, timeout);
        }

        var parent = request.Item is null ? await Parents.RequireAsync(request, request.Path) : null;
        var now = request.Now;
        var active = new ActiveLock(
            "urn:uuid:" + Guid.NewGuid().ToString("D"),
            request.Path,
            info.Scope,
            info.Depth,
            info.OwnerXml,
            LockManager.Principal(request),
            timeout,
            timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : now + timeout);

        var conflicts = await locks.TryAddAsync(active, now, request.Aborted);
        if (conflicts.Count > 0)
        {
            var hrefs = new List<string>();
            foreach (var root in conflicts.Select(c => c.Root).Distinct())
            {
                hrefs.Add(request.Href(root, (root == request.Path ? request.Item : await request.ResolveAsync(root)) is IFolder));
            }

            throw new LockedException(StatusCodes.Status423Locked, "A conflicting lock exists.", DavNames.NoConflictingLock, hrefs);
        }

        var status = StatusCodes.Status200OK;
        if (parent is not null)
        {
            // RFC 4918 §7.3: LOCK on an unmapped URL creates an empty resource (what Finder does before a PUT). In the
            // same unit of work as the lock: if it cannot be created, the lock is not kept either.
            try
            {
                await parent.CreateFileAsync(request.Path.Name, FileContent.Empty, request.Aborted);
            }
            catch
            {
                // A store whose lock store is not part of its unit of work would keep the lock otherwise.
                await locks.RemoveAsync(active.Token, now, CancellationToken.None);
                throw;
            }

            status = StatusCodes.Status201Created;
        }

        var isCollection = request.Item is IFolder;
        return DavResult.From(r =>
        {
            r.Response.Headers["Lock-Token"] = "<" + active.Token + ">";
            return WriteDiscoveryAsync(r, status, active, isCollection);
        });
    }

    private static async ValueTask<DavResult> RefreshAsync(DavRequest request, ILockStore locks, TimeSpan timeout)
    {
        var submitted = request.If?.SubmittedTokens ?? new HashSet<string>();
        var now = request.Now;
        var covering = await locks.FindAsync(request.Path, false, now, request.Aborted);
        var mine = covering.FirstOrDefault(l => submitted.Contains(l.Token))
            ?? throw new DavException(StatusCodes.Status412PreconditionFailed, "A refresh needs the token of a lock on this resource in the If header.", DavNames.LockTokenMatchesRequestUri);
        var expires = timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : now + timeout;
        var refreshed = await locks.RefreshAsync(mine.Token, timeout, expires, now, request.Aborted)
            ?? throw new DavException(StatusCodes.Status412PreconditionFailed, "The lock expired before it could be refreshed.");
        var rootIsCollection = refreshed.Root != request.Path || request.Item is IFolder;
        return DavResult.From(r => WriteDiscoveryAsync(r, StatusCodes.Status200OK, refreshed, rootIsCollection));
    }

    private static LockInfo ParseLockInfo(XDocument body, Depth depth)
    {
        var info = body.Root!;
        if (info.Name != DavNames.LockInfo)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "A LOCK body must be DAV:lockinfo.");
        }

        var scope = info.Element(DavNames.LockScope)?.Elements().FirstOrDefault()?.Name;
        if (scope != DavNames.Exclusive && scope != DavNames.Shared)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "DAV:lockscope must be exclusive or shared.");
        }

        if (info.Element(DavNames.LockType)?.Element(DavNames.Write) is null)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Only write locks exist (DAV:locktype must be DAV:write).");
        }

        var owner = info.Element(DavNames.Owner) is { } element ? DeadPropertyCapture.Capture(element).ToString(SaveOptions.DisableFormatting) : null;
        return new LockInfo(
            scope == DavNames.Exclusive ? LockScope.Exclusive : LockScope.Shared,
            depth == Depth.Zero ? LockDepth.Zero : LockDepth.Infinity,
            owner);
    }

    private static async ValueTask WriteDiscoveryAsync(DavRequest request, int status, ActiveLock active, bool rootIsCollection)
    {
        using var buffer = new MemoryStream();
        using (var xml = new Xml.CarryingXmlWriter(XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) })))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement(DavNames.Prefix, "prop", DavNames.Namespace);
            xml.WriteStartElement(DavNames.Prefix, "lockdiscovery", DavNames.Namespace);
            LockXml.WriteActiveLock(xml, active, request, rootIsCollection);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        request.Response.StatusCode = status;
        request.Response.ContentType = "application/xml; charset=utf-8";
        request.Response.ContentLength = buffer.Length;
        await request.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), request.Aborted);
        request.BytesSent = buffer.Length;
    }

    private sealed record LockInfo(LockScope Scope, LockDepth Depth, string? OwnerXml);
}
