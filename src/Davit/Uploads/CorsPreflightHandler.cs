using Davit.Authorization;
using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>
/// Answers a CORS preflight from an allowed origin: 204 with the methods and headers the upload protocols take. A
/// preflight carries no credentials (Fetch standard) and learns nothing of the resource, so it needs no access and no
/// lock token; the request it announces is checked as usual when it comes.
/// </summary>
internal sealed class CorsPreflightHandler : IReadHandler, IOwnRules
{
    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => ValueTask.FromResult<IReadOnlyList<AccessCheck>>([]);

    public ValueTask RequireLockTokensAsync(DavRequest request) => ValueTask.CompletedTask;

    public ValueTask HandleAsync(DavRequest request)
    {
        Cors.AddPreflightHeaders(request.Options, request.Http);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
        return ValueTask.CompletedTask;
    }
}
