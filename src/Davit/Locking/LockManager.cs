using Davit.Engine;
using Davit.Http;
using Davit.Properties;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using XName = System.Xml.Linq.XName;

namespace Davit.Locking;

/// <summary>
/// The engine's lock enforcement, run once per request before the handler: the If header must hold (else 412,
/// 400 when malformed), then every lock the method would override must have its token submitted in the If header
/// (else 423 with DAV:lock-token-submitted). The rules are RFC 4918 §7: a lock protects the resources it covers,
/// a depth-0 lock on a collection also protects its membership, and removing a tree needs the tokens of every
/// lock inside it.
/// </summary>
internal static class LockManager
{
    public static async ValueTask CheckAsync(DavRequest context)
    {
        var ifValue = context.Request.Headers["If"].ToString();
        if (ifValue.Length > 0)
        {
            if (!IfHeader.TryParse(ifValue, out var header))
            {
                throw new DavException(StatusCodes.Status400BadRequest, "The If header is malformed.");
            }

            context.If = header;
            if (!await EvaluateAsync(context, header))
            {
                throw new DavException(StatusCodes.Status412PreconditionFailed, "The If header does not hold.");
            }
        }

        if (context.Locks is not null)
        {
            await (context.Handler is IOwnRules own ? own.RequireLockTokensAsync(context) : RequireTokensAsync(context));
        }
    }

    private static async ValueTask<bool> EvaluateAsync(DavRequest context, IfHeader header)
    {
        var states = new Dictionary<string, IfResourceState>(StringComparer.Ordinal);
        foreach (var tag in header.Lists.Select(l => l.ResourceTag).OfType<string>().Distinct())
        {
            states[tag] = DestinationHeader.TryResolve(context, tag, out var path)
                ? await StateAsync(context, path, await context.ResolveAsync(path))
                : IfResourceState.Unmapped;
        }

        var requestState = await StateAsync(context, context.Path, context.Item);
        return IfEvaluator.Evaluate(header, tag => tag is null ? requestState : states[tag]);
    }

    private static async ValueTask<IfResourceState> StateAsync(DavRequest context, DavPath path, IHierarchyItem? item)
    {
        var tokens = context.Locks is null
            ? []
            : (await context.Locks.FindAsync(path, false, context.Now, context.Aborted)).Select(l => l.Token).ToHashSet(StringComparer.Ordinal);
        var etag = item is IFile file ? new EntityTagHeaderValue(LiveProperties.QuoteETag(file.ETag)) : null;
        return item is null && tokens.Count == 0 ? IfResourceState.Unmapped : new IfResourceState(etag, tokens);
    }

    private static async ValueTask RequireTokensAsync(DavRequest context)
    {
        var submitted = context.If?.SubmittedTokens ?? new HashSet<string>();
        var path = context.Path;
        switch (context.Request.Method)
        {
            case "PUT" or "POST":
                await RequireAsync(context, submitted, path, tree: false);
                if (context.Item is null)
                {
                    await RequireMembershipAsync(context, submitted, path);
                }

                break;
            case "MKCOL":
                await RequireAsync(context, submitted, path, tree: false);
                await RequireMembershipAsync(context, submitted, path);
                break;
            case "PROPPATCH":
                // Checked by the handler once it knows which properties are written (RequirePropertyWriteAsync).
                break;
            case "CANCELUPLOAD":
                await RequireAsync(context, submitted, path, tree: false);
                break;
            case "DELETE":
                await RequireAsync(context, submitted, path, tree: true);
                await RequireMembershipAsync(context, submitted, path);
                break;
            case "LOCK" when context.Item is null:
                await RequireMembershipAsync(context, submitted, path);
                break;
            case "MOVE":
                await RequireAsync(context, submitted, path, tree: true);
                await RequireMembershipAsync(context, submitted, path);
                await RequireDestinationAsync(context, submitted);
                break;
            case "COPY":
                await RequireDestinationAsync(context, submitted);
                break;
        }
    }

    /// <summary>The lock checks for writing one more resource in a request that writes several (each file of a form
    /// POST): its own locks and, when it is new, the membership of its folder.</summary>
    public static async ValueTask RequireWriteAsync(DavRequest context, DavPath path, bool creates)
    {
        if (context.Locks is null)
        {
            return;
        }

        var submitted = context.If?.SubmittedTokens ?? new HashSet<string>();
        await RequireAsync(context, submitted, path, tree: false);
        if (creates)
        {
            await RequireMembershipAsync(context, submitted, path);
        }
    }

    /// <summary>
    /// The lock check for a PROPPATCH writing <paramref name="names"/>: the locks covering the resource need a
    /// token, with one exception for MS Office, which updates its <c>urn:schemas-microsoft-com:</c> properties
    /// (Win32 times and attributes) without the token of the lock it holds. When every property written is in that
    /// namespace, the request is authenticated, and every lock covering the resource was taken by that same user,
    /// no token is needed. Anonymous requests never get the exception: without a user, "the lock's owner" means
    /// only "whoever has the token".
    /// </summary>
    public static async ValueTask RequirePropertyWriteAsync(DavRequest context, IReadOnlyCollection<XName> names)
    {
        if (context.Locks is null)
        {
            return;
        }

        var user = Principal(context);
        if (user is not null && names.Count > 0 && names.All(n => n.NamespaceName == MicrosoftNamespace))
        {
            var locks = await context.Locks.FindAsync(context.Path, false, context.Now, context.Aborted);
            if (locks.All(l => string.Equals(l.Principal, user, StringComparison.Ordinal)))
            {
                return;
            }
        }

        await RequireAsync(context, context.If?.SubmittedTokens ?? new HashSet<string>(), context.Path, tree: false);
    }

    /// <summary>The authenticated user's name, as locks record it; null when anonymous.</summary>
    public static string? Principal(DavRequest context) =>
        context.Http.User.Identity is { IsAuthenticated: true } identity ? identity.Name : null;

    private const string MicrosoftNamespace = "urn:schemas-microsoft-com:";

    private static async ValueTask RequireDestinationAsync(DavRequest context, IReadOnlySet<string> submitted)
    {
        var destination = DestinationHeader.Resolve(context);
        await RequireAsync(context, submitted, destination, tree: true);
        await RequireMembershipAsync(context, submitted, destination);
    }

    /// <summary>The locks covering <paramref name="path"/> (and, for a tree, those inside it) need a token each:
    /// for every resource, one submitted token among the locks covering it (shared locks share the duty).</summary>
    private static async ValueTask RequireAsync(DavRequest context, IReadOnlySet<string> submitted, DavPath path, bool tree)
    {
        var locks = await context.Locks!.FindAsync(path, tree, context.Now, context.Aborted);
        if (locks.Count == 0)
        {
            return;
        }

        var resources = locks.Select(l => l.Root).Where(r => r.IsSameOrDescendantOf(path)).Append(path).Distinct();
        foreach (var resource in resources)
        {
            var covering = locks.Where(l => l.Covers(resource)).ToList();
            if (covering.Count > 0 && !covering.Any(l => submitted.Contains(l.Token)))
            {
                throw await LockedAsync(context, covering[0].Root);
            }
        }
    }

    /// <summary>Adding or removing a member of a collection with a depth-0 lock needs that lock's token.</summary>
    private static async ValueTask RequireMembershipAsync(DavRequest context, IReadOnlySet<string> submitted, DavPath path)
    {
        if (path.IsRoot)
        {
            return;
        }

        var parent = path.Parent;
        var locks = (await context.Locks!.FindAsync(parent, false, context.Now, context.Aborted))
            .Where(l => l.Root == parent && l.Depth == LockDepth.Zero)
            .ToList();
        if (locks.Count > 0 && !locks.Any(l => submitted.Contains(l.Token)))
        {
            throw await LockedAsync(context, parent);
        }
    }

    private static async ValueTask<LockedException> LockedAsync(DavRequest context, DavPath root)
    {
        var isCollection = (root == context.Path ? context.Item : await context.ResolveAsync(root)) is IFolder;
        return new(StatusCodes.Status423Locked, $"The resource is locked by {root} and its lock token was not submitted.",
            DavNames.LockTokenSubmitted, [context.Href(root, isCollection)]);
    }
}
