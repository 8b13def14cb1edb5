using Davit.Engine;
using Davit.Http;
using Davit.Storage;

namespace Davit.Authorization;

/// <summary>
/// What each method needs, as documented on <see cref="IDavAuthorizer"/>. Worked out after the engine has resolved
/// the request's item and before any precondition, lock check or handler runs, so a denied request changes
/// nothing and never learns whether the path exists.
/// </summary>
internal static class AccessRules
{
    public static async ValueTask<IReadOnlyList<AccessCheck>> ForRequestAsync(DavRequest context)
    {
        if (context.Handler is IOwnRules own)
        {
            return await own.AccessAsync(context);
        }

        var path = context.Path;
        var item = context.Item;
        var isFolder = item is IFolder;
        return context.Request.Method switch
        {
            "OPTIONS" or "GET" or "HEAD" or "PROPFIND" or "REPORT" => [new(path, DavAccess.Read, false)],
            "PUT" or "CANCELUPLOAD" => [new(path, item is null ? DavAccess.Create : DavAccess.WriteContent, false)],
            "POST" => [new(path, DavAccess.WriteContent, false)],
            "MKCOL" => [new(path, DavAccess.Create, false)],
            "PROPPATCH" => [new(path, DavAccess.WriteProperties, false)],
            "DELETE" => [new(path, DavAccess.Delete, isFolder)],
            "UNLOCK" => [new(path, DavAccess.Lock, false)],
            "LOCK" when item is null => [new(path, DavAccess.Create, false), new(path, DavAccess.Lock, false)],
            "LOCK" => [new(path, DavAccess.Lock, isFolder && Deep(context))],
            "COPY" or "MOVE" when item is null => [new(path, DavAccess.Read, false)],
            "COPY" => await CopyAsync(context, Deep(context)),
            "MOVE" => await CopyAsync(context, deep: true),
            _ => [new(path, DavAccess.Read, false)],
        };
    }

    /// <summary>COPY and MOVE: read the source; create the destination, after deleting what Overwrite: T
    /// replaces; MOVE also deletes the source.</summary>
    private static async ValueTask<IReadOnlyList<AccessCheck>> CopyAsync(DavRequest context, bool deep)
    {
        var source = context.Path;
        var tree = context.Item is IFolder && deep;
        var checks = new List<AccessCheck> { new(source, DavAccess.Read, tree) };
        if (context.Request.Method == "MOVE")
        {
            checks.Add(new(source, DavAccess.Delete, tree));
        }

        // 400 and 502 for a bad Destination come from here, as they would from the handler.
        var destination = DestinationHeader.Resolve(context);
        var overwrite = !DavHeaders.TryParseOverwrite(context.Request.Headers["Overwrite"], out var value) || value;
        if (overwrite && destination != source && await context.ResolveAsync(destination) is { } existing)
        {
            checks.Add(new(destination, DavAccess.Delete, existing is IFolder));
        }

        checks.Add(new(destination, DavAccess.Create, tree));
        return checks;
    }

    /// <summary>Depth infinity, the default; a malformed Depth counts as infinity here (the handler answers 400).</summary>
    private static bool Deep(DavRequest context) =>
        !DavHeaders.TryParseDepth(context.Request.Headers["Depth"], Depth.Infinity, out var depth) || depth == Depth.Infinity;
}
