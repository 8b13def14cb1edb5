using System.Xml.Linq;
using Davit.Locking;
using Davit.Properties;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PROPPATCH (RFC 4918 §9.2): set and remove in document order, all or nothing, together with the modification
/// time Windows sets through Win32LastModifiedTime. The answer is always 207 with a status per property: 200 for all
/// when it worked; otherwise 403 (protected property, or a store without dead properties) or the store's failure
/// status for the properties that caused it, and 424 for the rest, with nothing changed. 404 when nothing is mapped,
/// 400 for a bad body.
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

        var refused = names.Where(LiveProperties.IsProtected).ToHashSet();
        if (item is not IDeadProperties dead)
        {
            return Answer(item, names.ToDictionary(n => n, _ => StatusCodes.Status403Forbidden), commit: false);
        }

        if (refused.Count > 0)
        {
            return Answer(item, names.ToDictionary(n => n, n => refused.Contains(n) ? StatusCodes.Status403Forbidden : StatusCodes.Status424FailedDependency), commit: false);
        }

        try
        {
            await dead.UpdatePropertiesAsync(updates, request.Aborted);
            await Win32Times.ApplyAsync(item, updates, request.Aborted);
        }
        catch (StoreException ex)
        {
            // Nothing may stay: the unit of work is rolled back, the properties saved first included.
            var status = StoreStatuses.Default(ex.Error);
            return Answer(item, names.ToDictionary(n => n, _ => status), commit: false);
        }

        return Answer(item, names.ToDictionary(n => n, _ => StatusCodes.Status200OK), commit: true);
    }

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
