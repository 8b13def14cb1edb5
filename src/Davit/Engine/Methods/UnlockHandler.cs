using Davit.Authorization;
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
internal sealed class UnlockHandler : IWriteHandler
{
    public ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        _ = request.Locks ?? throw new DavException(StatusCodes.Status501NotImplemented, "Locking is turned off.");
        _ = Token(request);
        return ValueTask.FromResult<DavResult?>(null);
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        var locks = request.Locks!;
        var token = Token(request);
        var now = request.Now;
        var active = await locks.GetAsync(token, now, request.Aborted);
        if (active is not null && active.Covers(request.Path))
        {
            LockOwnership.RequireOwner(request, active);
        }

        if (active is null || !active.Covers(request.Path) || !await locks.RemoveAsync(token, now, request.Aborted))
        {
            throw new DavException(StatusCodes.Status409Conflict, "No lock with this token covers the request URL.", DavNames.LockTokenMatchesRequestUri);
        }

        return DavResult.Status(StatusCodes.Status204NoContent);
    }

    private static string Token(DavRequest request)
    {
        var token = request.Request.Headers["Lock-Token"].ToString().Trim();
        if (token.StartsWith('<') && token.EndsWith('>'))
        {
            token = token[1..^1].Trim();
        }

        return token.Length > 0 ? token : throw new DavException(StatusCodes.Status400BadRequest, "UNLOCK needs a Lock-Token header.");
    }
}
