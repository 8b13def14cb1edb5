using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Authorization;

/// <summary>
/// The mapping between what a user confined to a home folder sees (paths from their root) and store paths (the
/// home folder's segments first). Request paths and Destination headers are mapped in; hrefs are mapped out.
/// </summary>
internal static class HomeFolders
{
    public static async ValueTask<DavPath> GetAsync(HttpContext http) =>
        http.RequestServices.GetService<IDavHomeFolderProvider>() is { } provider
            ? await provider.GetHomeAsync(http.User, http.RequestAborted)
            : DavPath.Root;

    /// <summary>The store path of <paramref name="visible"/>, a path as the user sees it.</summary>
    public static DavPath ToStore(DavPath home, DavPath visible) => home.IsRoot ? visible : visible.Rebase(DavPath.Root, home);

    /// <summary>The path the user sees for the store path <paramref name="path"/>. A path above or beside the home
    /// (the root of a lock taken on a folder above it) is shown as the user's root.</summary>
    public static DavPath ToVisible(DavPath home, DavPath path) =>
        home.IsRoot ? path : path.IsSameOrDescendantOf(home) ? path.Rebase(home, DavPath.Root) : DavPath.Root;

    /// <summary>A user's home folder is their root: like the store's root, it cannot be deleted or moved.</summary>
    public static void RefuseRemovingHome(DavRequest context)
    {
        if (!context.Home.IsRoot && context.Path == context.Home && context.Request.Method is "DELETE" or "MOVE")
        {
            throw new DavException(StatusCodes.Status403Forbidden, "A home folder cannot be deleted or moved by its user.");
        }
    }

    /// <summary>
    /// Creates the user's home folder, and the folders above it, when the request finds nothing at its path and
    /// the home is missing; returns the item at the request path afterwards (null when there is still none).
    /// </summary>
    public static async ValueTask<IHierarchyItem?> EnsureAsync(DavRequest context)
    {
        var home = context.Home;
        if (home.IsRoot || await context.ResolveAsync(home) is not null)
        {
            return null;
        }

        var current = DavPath.Root;
        var folder = await context.ResolveAsync(current) as IFolder;
        foreach (var segment in home.Segments)
        {
            current = current.Append(segment);
            var next = await context.ResolveAsync(current);
            if (next is null && folder is not null)
            {
                try
                {
                    next = await folder.CreateFolderAsync(segment, context.Aborted);
                }
                catch (StoreException ex) when (ex.Error == StoreError.AlreadyExists)
                {
                    // Another request created it meanwhile.
                    next = await context.ResolveAsync(current);
                }
            }

            folder = next as IFolder;
            if (folder is null)
            {
                return null;
            }
        }

        return context.Path == home ? folder : await context.ResolveAsync(context.Path);
    }
}
