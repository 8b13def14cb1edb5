using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// GET and HEAD (RFC 9110 §9.3.1-2): a file's content, whole or in ranges (<see cref="ContentSender"/>), or an
/// HTML listing for a folder (the browser page for browsers, <see cref="Browser.BrowserPage"/>). A folder named
/// without its trailing slash gets 301 to the URL with it, query kept.
/// </summary>
internal sealed class GetHandler : IReadHandler
{
    public async ValueTask HandleAsync(DavRequest request)
    {
        switch (request.Item)
        {
            case null:
                throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
            case IFolder folder:
                if (!request.RawPath.EndsWith('/'))
                {
                    // Relative links in a listing resolve against the URL, so "/docs" must become "/docs/" (as Apache
                    // and nginx answer); lftp took a 200 there for a file. Other methods work on either form.
                    request.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                    request.Response.Headers.Location = request.RawPath + "/" + request.Request.QueryString.Value;
                    request.Response.ContentLength = 0;
                    return;
                }

                if (!request.Options.FolderListing)
                {
                    request.Response.Headers.Allow = string.Join(", ", OptionsHandler.AllowedMethods(folder, request.Home, request.Locks is not null, request.Sessions is not null).Where(m => m is not "GET" and not "HEAD"));
                    throw new DavException(StatusCodes.Status405MethodNotAllowed, "Folder listings are turned off.");
                }

                await Browser.BrowserPage.AnswerAsync(request, folder);
                break;
            case IFile file:
                // One version for the validators, the conditional headers and the bytes alike.
                await using (var content = await file.OpenReadAsync(request.Aborted))
                {
                    await ContentSender.SendAsync(request, file.Name, content, request.Now);
                }

                break;
        }
    }
}
