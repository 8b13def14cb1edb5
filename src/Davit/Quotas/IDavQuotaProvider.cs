using System.Security.Claims;
using Davit.Storage;

namespace Davit.Quotas;

/// <summary>A limit on the bytes of file content kept in a folder and everything below it (RFC 4331).</summary>
/// <param name="Folder">The folder the quota is on (a store path).</param>
/// <param name="LimitBytes">The most bytes the folder may hold; 0 or more.</param>
public readonly record struct DavQuota(DavPath Folder, long LimitBytes);

/// <summary>
/// Says which quotas govern a path: the application's source of quotas (per user on their home folder, per folder,
/// from a database ...). The engine asks it for every write it must check and for every collection whose quota
/// properties a PROPFIND asks for, so it should answer from memory. Register with
/// <c>AddWebDav().AddQuotas&lt;T&gt;()</c>; without one there are no quotas, and the engine spends nothing on them.
/// </summary>
/// <remarks>
/// <para>What a quota counts: the length of every file at or below its folder, whoever wrote it, plus the uploads in
/// progress there (by their announced length when they have one, else by the bytes received). Folders, dead
/// properties and locks count nothing.</para>
/// <para>What the engine does with it: a write that would take a folder past one of its quotas (PUT, COPY, MOVE into
/// the folder, a form POST, an upload that starts or grows) is answered 507 Insufficient Storage with the
/// <c>DAV:quota-not-exceeded</c> condition, and changes nothing; a write that adds nothing is never refused, so a
/// folder over its quota can always be cleaned up. Collections at or below a quota's folder get the live properties
/// <c>DAV:quota-used-bytes</c> and <c>DAV:quota-available-bytes</c> (of the quota with the least room left).</para>
/// </remarks>
public interface IDavQuotaProvider
{
    /// <summary>
    /// The quotas on <paramref name="path"/> and on the folders above it, for a request of <paramref name="user"/>;
    /// empty when none applies. Quotas on other folders are ignored.
    /// </summary>
    /// <param name="path">A store path (a user's home folder's segments first), of a file or a folder.</param>
    /// <param name="user">The authenticated user (anonymous when there is no authentication).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    ValueTask<IReadOnlyList<DavQuota>> GetQuotasAsync(DavPath path, ClaimsPrincipal user, CancellationToken cancellationToken);
}
