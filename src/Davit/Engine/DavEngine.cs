using Microsoft.AspNetCore.Http;

namespace Davit.Engine;

/// <summary>Dispatches WebDAV requests to the method handlers. (Placeholder while the engine is written.)</summary>
internal sealed class DavEngine
{
    public Task ProcessAsync(HttpContext context, DavMount mount)
    {
        context.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return Task.CompletedTask;
    }
}
