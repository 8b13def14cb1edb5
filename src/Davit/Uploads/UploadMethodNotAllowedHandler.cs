using Davit.Authorization;
using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>405 for a method an upload resource does not take (GET, PUT, ...), with the ones it does in Allow.</summary>
internal sealed class UploadMethodNotAllowedHandler : IReadHandler, IOwnRules
{
    public const string Allowed = "OPTIONS, HEAD, PATCH, DELETE";

    public ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request) => ValueTask.FromResult<IReadOnlyList<AccessCheck>>([]);

    public ValueTask RequireLockTokensAsync(DavRequest request) => ValueTask.CompletedTask;

    public ValueTask HandleAsync(DavRequest request)
    {
        UploadResponse.Of(request).Set("Allow", Allowed);
        throw new DavException(StatusCodes.Status405MethodNotAllowed, $"An upload resource does not take {request.Request.Method}.");
    }
}
