using System.Xml.Linq;
using Davit.Locking;
using Davit.Properties;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PROPPATCH (RFC 4918 §9.2): set and remove in document order, all or nothing, together with the modification
/// time Windows sets through Win32LastModifiedTime and other clients through DAV:getlastmodified or DAV:lastmodified
/// (<see cref="ClientTimes"/>), and oc:checksums taken only when it agrees with the hashes the store kept. The
/// answer is always 207 with a status per property: 200 for all when it worked;
/// otherwise 403 (protected property, a store without dead properties, a time on an item that cannot take one), 409
/// (a time that is no date) or the store's failure status for the properties that caused it, and 424 for the rest,
/// with nothing changed. 404 when nothing is mapped, 400 for a bad body.
/// </summary>
internal sealed class ProppatchHandler : IWriteHandler
{
    private const string UpdatesKey = "davit.proppatch.updates";

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        if (request.Item is null)
        {
            throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        }

        request.StoreContext.Items[UpdatesKey] = ProppatchRequest.Parse(await XmlRequestReader.ReadAsync(request));
        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var item = request.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        var updates = (IReadOnlyList<PropertyUpdate>)request.StoreContext.Items[UpdatesKey]!;
        var names = updates.Select(u => u.Name).Distinct().ToList();
        await LockManager.RequirePropertyWriteAsync(request, names);

        // DAV:getlastmodified and DAV:lastmodified set the item's time (ClientTimes), where it can take one; removing
        // either, or setting it on an item that keeps no time of a client's, is refused like any protected property.
        var time = updates.LastOrDefault(u => ClientTimes.IsTimeName(u.Name));
        var settable = item as IModificationTime;
        var refused = names.Where(n => ClientTimes.IsTimeName(n)
                ? settable is null || updates.Any(u => u.Name == n && u.IsRemove)
                : n == LiveProperties.Checksums.Name
                    ? item is not IContentHashes || updates.Any(u => u.Name == n && u.IsRemove)
                    : LiveProperties.IsProtected(n) || item is not IDeadProperties)
            .ToHashSet();
        if (refused.Count > 0)
        {
            return Answer(item, names.ToDictionary(n => n, n => refused.Contains(n) ? StatusCodes.Status403Forbidden : StatusCodes.Status424FailedDependency), commit: false);
        }

        // RFC 4918 §9.2.1: 409 for a value whose semantics are not appropriate for the property.
        var unreadable = updates.Where(u => ClientTimes.IsTimeName(u.Name) && !ClientTimes.TryParse(u.Value!.Element.Value, out _)).Select(u => u.Name).ToHashSet();
        if (unreadable.Count > 0)
        {
            return Answer(item, names.ToDictionary(n => n, n => unreadable.Contains(n) ? StatusCodes.Status409Conflict : StatusCodes.Status424FailedDependency), commit: false);
        }

        // rclone sends oc:checksums beside DAV:lastmodified, to keep them across a time change as Nextcloud needs. The
        // engine computes its own: what the client sends is taken when it agrees with them, else 409.
        var checksums = updates.Where(u => u.Name == LiveProperties.Checksums.Name).ToList();
        if (checksums.Count > 0)
        {
            var kept = await ((IContentHashes)item).GetContentHashesAsync(request.Aborted);
            if (kept is null || checksums.Any(u => !Agrees(u.Value!.Element.Value, kept)))
            {
                return Answer(item, names.ToDictionary(n => n, n => n == LiveProperties.Checksums.Name ? StatusCodes.Status409Conflict : StatusCodes.Status424FailedDependency), commit: false);
            }
        }

        _ = ClientTimes.TryParse(time.Value?.Element.Value, out var modified);

        try
        {
            var dead = updates.Where(u => !ClientTimes.IsTimeName(u.Name) && u.Name != LiveProperties.Checksums.Name).ToList();
            if (dead.Count > 0)
            {
                await ((IDeadProperties)item).UpdatePropertiesAsync(dead, request.Aborted);
                await Win32Times.ApplyAsync(item, dead, request.Aborted);
            }

            if (time.Value is not null)
            {
                await settable!.SetModifiedAsync(modified, request.Aborted);
            }
        }
        catch (StoreException ex)
        {
            // Nothing may stay: the unit of work is rolled back, the properties saved first included.
            var status = StoreStatuses.Default(ex.Error);
            return Answer(item, names.ToDictionary(n => n, _ => status), commit: false);
        }

        return Answer(item, names.ToDictionary(n => n, _ => StatusCodes.Status200OK), commit: true);
    }

    private static bool Agrees(string text, ContentHashes kept) =>
        ContentChecksums.TryParse(text, out var sums) && (sums.Sha1 ?? sums.Md5) is not null
        && (sums.Sha1 is null || sums.Sha1 == kept.Sha1) && (sums.Md5 is null || sums.Md5 == kept.Md5);

    private static DavResult Answer(IHierarchyItem item, Dictionary<XName, int> statuses, bool commit)
    {
        var href = item.Path;
        var isCollection = item is IFolder;
        return DavResult.From(
            async request =>
            {
                using var writer = MultistatusWriter.Start(request);
                writer.BeginResponse(request.Href(href, isCollection));
                foreach (var group in statuses.GroupBy(p => p.Value, p => p.Key))
                {
                    writer.WritePropstat(group, group.Key);
                }

                writer.EndResponse();
                await writer.CompleteAsync();
            },
            commit);
    }
}
