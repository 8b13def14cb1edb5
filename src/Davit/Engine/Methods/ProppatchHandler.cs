using System.Xml.Linq;
using Davit.Locking;
using Davit.Properties;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PROPPATCH (RFC 4918 §9.2): set and remove in document order, all or nothing. The answer is always 207 with a
/// status per property: 200 for all when it worked; otherwise 403 (protected property, or a store without dead
/// properties) or the store's failure status for the properties that caused it, and 424 for the rest.
/// 404 when nothing is mapped, 400 for a bad body.
/// </summary>
internal sealed class ProppatchHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var item = context.Item ?? throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
        var updates = ProppatchRequest.Parse(await XmlRequestReader.ReadAsync(context));
        var names = updates.Select(u => u.Name).Distinct().ToList();
        await LockManager.RequirePropertyWriteAsync(context, names);

        Dictionary<XName, int> statuses;
        var refused = names.Where(LiveProperties.IsProtected).ToHashSet();
        if (item is not IDeadProperties dead)
        {
            statuses = names.ToDictionary(n => n, _ => StatusCodes.Status403Forbidden);
        }
        else if (refused.Count > 0)
        {
            statuses = names.ToDictionary(n => n, n => refused.Contains(n) ? StatusCodes.Status403Forbidden : StatusCodes.Status424FailedDependency);
        }
        else
        {
            var status = StatusCodes.Status200OK;
            try
            {
                await dead.UpdatePropertiesAsync(updates, context.Aborted);
                await Win32Times.ApplyAsync(item, updates, context.Aborted);
            }
            catch (DavException ex)
            {
                status = ex.StatusCode;
            }

            statuses = names.ToDictionary(n => n, _ => status);
        }

        using var writer = MultistatusWriter.Start(context);
        writer.Xml.WriteStartElement(DavNames.Prefix, "response", DavNames.Namespace);
        writer.WriteHref(context.Href(item));
        foreach (var group in names.GroupBy(n => statuses[n]))
        {
            PropfindHandler.BeginPropstat(writer.Xml);
            foreach (var name in group)
            {
                PropfindHandler.WriteEmpty(writer.Xml, name);
            }

            PropfindHandler.EndPropstat(writer, group.Key);
        }

        writer.Xml.WriteEndElement();
        await writer.CompleteAsync();
    }
}
