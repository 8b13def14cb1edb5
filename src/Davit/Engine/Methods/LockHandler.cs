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
/// locked empty file was created; 423 with DAV:no-conflicting-lock when another lock conflicts; 409 when the
/// parent of an unmapped URL is missing; 400 for Depth 1 or a bad body. Without a body it refreshes the lock
/// whose token the If header names: 200, or 412 when no submitted token belongs to a lock on this resource.
/// The answer carries the lock's DAV:lockdiscovery and, for a new lock, the Lock-Token header.
/// </summary>
internal sealed class LockHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var locks = context.Locks ?? throw new DavException(StatusCodes.Status501NotImplemented, "Locking is turned off.");
        var body = await XmlRequestReader.ReadAsync(context);
        var timeout = TimeoutHeader.Choose(context.Request.Headers["Timeout"], context.Options.DefaultLockTimeout, context.Options.MaxLockTimeout);
        if (body is null)
        {
            await RefreshAsync(context, locks, timeout);
            return;
        }

        if (!DavHeaders.TryParseDepth(context.Request.Headers["Depth"], Depth.Infinity, out var depth) || depth == Depth.One)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "LOCK Depth must be 0 or infinity.");
        }

        var (scope, owner) = ParseLockInfo(body);
        var parent = context.Item is null ? await Parents.RequireAsync(context, context.Path) : null;
        var now = context.Now;
        var active = new ActiveLock(
            "urn:uuid:" + Guid.NewGuid().ToString("D"),
            context.Path,
            scope,
            depth == Depth.Zero ? LockDepth.Zero : LockDepth.Infinity,
            owner,
            LockManager.Principal(context),
            timeout,
            timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : now + timeout);

        var conflicts = await locks.TryAddAsync(active, now, context.Aborted);
        if (conflicts.Count > 0)
        {
            var hrefs = new List<string>();
            foreach (var root in conflicts.Select(c => c.Root).Distinct())
            {
                hrefs.Add(context.Href(root, (root == context.Path ? context.Item : await context.ResolveAsync(root)) is IFolder));
            }

            throw new LockedException(StatusCodes.Status423Locked, "A conflicting lock exists.", DavNames.NoConflictingLock, hrefs);
        }

        var status = StatusCodes.Status200OK;
        if (parent is not null)
        {
            // RFC 4918 §7.3: LOCK on an unmapped URL creates an empty resource (what Finder does before a PUT).
            try
            {
                await parent.CreateFileAsync(context.Path.Name, Stream.Null, null, 0, context.Aborted);
            }
            catch
            {
                await locks.RemoveAsync(active.Token, now, CancellationToken.None);
                throw;
            }

            status = StatusCodes.Status201Created;
        }

        context.Response.Headers["Lock-Token"] = "<" + active.Token + ">";
        await WriteDiscoveryAsync(context, status, active, context.Item is IFolder);
    }

    private static async ValueTask RefreshAsync(DavContext context, ILockStore locks, TimeSpan timeout)
    {
        var submitted = context.If?.SubmittedTokens ?? new HashSet<string>();
        var now = context.Now;
        var covering = await locks.FindAsync(context.Path, false, now, context.Aborted);
        var mine = covering.FirstOrDefault(l => submitted.Contains(l.Token))
            ?? throw new DavException(StatusCodes.Status412PreconditionFailed, "A refresh needs the token of a lock on this resource in the If header.", DavNames.LockTokenMatchesRequestUri);
        var expires = timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : now + timeout;
        var refreshed = await locks.RefreshAsync(mine.Token, timeout, expires, now, context.Aborted)
            ?? throw new DavException(StatusCodes.Status412PreconditionFailed, "The lock expired before it could be refreshed.");
        var rootIsCollection = refreshed.Root != context.Path || context.Item is IFolder;
        await WriteDiscoveryAsync(context, StatusCodes.Status200OK, refreshed, rootIsCollection);
    }

    private static (LockScope Scope, string? Owner) ParseLockInfo(XDocument body)
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
        return (scope == DavNames.Exclusive ? LockScope.Exclusive : LockScope.Shared, owner);
    }

    private static async ValueTask WriteDiscoveryAsync(DavContext context, int status, ActiveLock active, bool rootIsCollection)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement(DavNames.Prefix, "prop", DavNames.Namespace);
            xml.WriteStartElement(DavNames.Prefix, "lockdiscovery", DavNames.Namespace);
            LockXml.WriteActiveLock(xml, active, context, rootIsCollection);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml; charset=utf-8";
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.Aborted);
        context.BytesSent = buffer.Length;
    }
}
