using System.Security.Claims;
using Davit.Storage;

namespace Davit.Authorization;

/// <summary>
/// Confines a user to a folder of the store: the user sees that folder as the root, and nothing above it.
/// </summary>
/// <remarks>
/// The engine maps the request path, the Destination header, If header tags and every href it sends, so no
/// path a client can write reaches above the home folder (".." and encoded separators are refused before any
/// mapping). The home folder (and the folders above it) is created on the user's first request to it. It cannot
/// be deleted or moved by its user (403). Paths given to <see cref="IDavAuthorizer"/> are store paths: the home
/// folder's segments come first. Register with <c>AddWebDav().AddHomeFolders&lt;T&gt;()</c>; the default gives
/// every user the store's root.
/// </remarks>
public interface IDavHomeFolderProvider
{
    /// <summary>The folder <paramref name="user"/> sees as the root; <see cref="DavPath.Root"/> for the whole store.</summary>
    ValueTask<DavPath> GetHomeAsync(ClaimsPrincipal user, CancellationToken cancellationToken);
}
