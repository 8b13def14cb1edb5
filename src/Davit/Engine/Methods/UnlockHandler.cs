using Davit.Authorization;
using Davit.Locking;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// UNLOCK (RFC 4918 §9.11): removes the lock named by the Lock-Token header. 204 when removed; 400 without the
/// header; 403 when the lock belongs to another user; 409 with DAV:lock-token-matches-request-uri when no such
/// lock covers the request URL. The Windows mini-redirector sends the token without angle brackets, so both forms
/// are accepted.
/// </summary>
internal sealed class UnlockHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        var locks = context.Locks ?? throw new DavException(StatusCodes.Status501NotImplemented, "Locking is turned off.");
        var token = context.Request.Headers["Lock-Token"].ToString().Trim();
        if (token.StartsWith('<') && token.EndsWith('>'))
        {
            token = token[1..^1].Trim();
        }

        if (token.Length == 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "UNLOCK needs a Lock-Token header.");
        }

        var now = context.Now;
        var active = await locks.GetAsync(token, now, context.Aborted);
        if (active is not null && active.Covers(context.Path))
        {
            LockOwnership.RequireOwner(context, active);
        }

        if (active is null || !active.Covers(context.Path) || !await locks.RemoveAsync(token, now, context.Aborted))
        {
            throw new DavException(StatusCodes.Status409Conflict, "No lock with this token covers the request URL.", DavNames.LockTokenMatchesRequestUri);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
