using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// GET and HEAD (RFC 9110 §9.3.1-2): a file's content, whole or in ranges (<see cref="ContentSender"/>), or an
/// HTML listing for a folder (the browser page for browsers, <see cref="Browser.BrowserPage"/>).
/// </summary>
internal sealed class GetHandler : IMethodHandler
{
    public async ValueTask HandleAsync(DavContext context)
    {
        switch (context.Item)
        {
            case null:
                throw new DavException(StatusCodes.Status404NotFound, "Nothing is mapped at this URL.");
            case IFolder folder:
                if (!context.Options.FolderListing)
                {
                    context.Response.Headers.Allow = string.Join(", ", OptionsHandler.AllowedMethods(folder, context.Locks is not null, context.Uploads is not null).Where(m => m is not "GET" and not "HEAD"));
                    throw new DavException(StatusCodes.Status405MethodNotAllowed, "Folder listings are turned off.");
                }

                await Browser.BrowserPage.AnswerAsync(context, folder);
                break;
            case IFile file:
                await ContentSender.SendAsync(context, file, context.Now);
                break;
        }
    }
}
