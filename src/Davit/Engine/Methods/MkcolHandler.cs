using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// MKCOL (RFC 4918 §9.3): 201 when created, 405 when the URL is already mapped, 409 when the parent is missing,
/// 415 when there is a body (this engine understands no MKCOL body).
/// </summary>
internal sealed class MkcolHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        if (context.Item is not null)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "Something is already mapped at this URL.");
        }

        if (await HasBodyAsync(context))
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, "MKCOL with a body is not supported.");
        }

        var parent = await Parents.RequireAsync(context, context.Path);
        await parent.CreateFolderAsync(context.Path.Name, context.Aborted);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentLength = 0;
    }

    private static async ValueTask<bool> HasBodyAsync(DavContext context)
    {
        if (!XmlRequestReader.MayHaveBody(context.Request))
        {
            return false;
        }

        // A chunked body may still turn out empty.
        var probe = new byte[1];
        return await context.Request.Body.ReadAsync(probe, context.Aborted) > 0;
    }
}
