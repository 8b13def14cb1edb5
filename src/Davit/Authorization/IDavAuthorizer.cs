namespace Davit.Authorization;

/// <summary>
/// Decides who may do what. The engine asks before every request reaches its handler, once per access the method
/// needs, and for each member it would list; stores never implement permissions.
/// </summary>
/// <remarks>
/// <para>What each method needs (P is the request path, D the Destination):</para>
/// <list type="bullet">
/// <item>OPTIONS, GET, HEAD, PROPFIND, REPORT: <see cref="DavAccess.Read"/> on P. PROPFIND (Depth 1 or infinity),
/// the HTML folder listing and the upload-progress REPORT leave out every member without Read.</item>
/// <item>PUT, CANCELUPLOAD: <see cref="DavAccess.WriteContent"/> on P when a file is there, else
/// <see cref="DavAccess.Create"/>.</item>
/// <item>POST (a form upload to a folder): WriteContent on the folder, then Create (or WriteContent) on each file.</item>
/// <item>MKCOL: Create on P. PROPPATCH: <see cref="DavAccess.WriteProperties"/> on P.</item>
/// <item>DELETE: <see cref="DavAccess.Delete"/> on P and below.</item>
/// <item>COPY: Read on P (and below for Depth: infinity); Create on D (and below when a folder is copied), and
/// Delete on D and below when D exists and Overwrite is T.</item>
/// <item>MOVE: as COPY, plus Delete on P and below.</item>
/// <item>LOCK: <see cref="DavAccess.Lock"/> on P (and below for Depth: infinity), and Create on P when nothing is
/// mapped there. UNLOCK: Lock on P, and the lock must have been taken by the same user (else 403).</item>
/// </list>
/// <para>A denial is answered 403 and logged with its reason; nothing is changed. When the request is anonymous and
/// the application has an authentication scheme, the engine challenges instead (401 with WWW-Authenticate, from
/// that scheme), so that clients ask for credentials.</para>
/// <para>Called on every request, and once per member of a listing: keep it fast (no I/O per call when you can).
/// Implementations must be thread safe. Register with <c>AddWebDav().AddAuthorizer&lt;T&gt;()</c>; the default
/// allows everything.</para>
/// </remarks>
public interface IDavAuthorizer
{
    /// <summary>Whether <see cref="DavAuthorizationRequest.User"/> may do what <paramref name="request"/> says.</summary>
    ValueTask<DavAuthorizationResult> AuthorizeAsync(DavAuthorizationRequest request, CancellationToken cancellationToken);
}
