using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// MKCOL (RFC 4918 §9.3): 201 when created, 405 when the URL is already mapped, 409 when the parent is missing,
/// 415 when there is a body (this engine understands no MKCOL body).
/// </summary>
internal sealed class MkcolHandler : IWriteHandler
{
    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        if (request.Item is not null)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "Something is already mapped at this URL.");
        }

        if (await HasBodyAsync(request))
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, "MKCOL with a body is not supported.");
        }

        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        if (request.Item is not null)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "Something is already mapped at this URL.");
        }

        var parent = await Parents.RequireAsync(request, request.Path);
        await parent.CreateFolderAsync(request.Path.Name, request.Aborted);
        return DavResult.Status(StatusCodes.Status201Created);
    }

    private static async ValueTask<bool> HasBodyAsync(DavRequest request)
    {
        if (!XmlRequestReader.MayHaveBody(request.Request))
        {
            return false;
        }

        // A chunked body may still turn out empty.
        var probe = new byte[1];
        return await request.Request.Body.ReadAsync(probe, request.Aborted) > 0;
    }
}
