using Davit.Engine;
using Microsoft.Extensions.Options;

namespace Davit.Uploads;

/// <summary>Takes the CORS preflights of allowed origins (<see cref="Hosting.DavOptions.CorsOrigins"/>) before the
/// OPTIONS handler sees them.</summary>
internal sealed class CorsPreflightProtocol(IOptions<Hosting.DavOptions> options) : IRequestProtocol
{
    private readonly CorsPreflightHandler handler = new();

    public IMethodHandler? TryGetHandler(DavRequest request) => Cors.IsPreflight(options.Value, request.Request) ? handler : null;
}
