using Davit.Diagnostics;
using Davit.Engine;
using Davit.Storage;

namespace Davit.Authorization;

/// <summary>
/// Leaves out of a listing (PROPFIND Depth 1 or infinity, the HTML folder listing, the upload-progress REPORT)
/// every member the user may not read. Made once per listing.
/// </summary>
internal sealed class ReadFilter
{
    private readonly DavRequest context;
    private readonly IDavAuthorizer? authorizer;

    private ReadFilter(DavRequest context, IDavAuthorizer? authorizer)
    {
        this.context = context;
        this.authorizer = authorizer;
    }

    public static ReadFilter For(DavRequest context)
    {
        var authorizer = DavAuthorization.Authorizer(context.Http);
        return new ReadFilter(context, authorizer is AllowAllAuthorizer ? null : authorizer);
    }

    /// <summary>True when the member at <paramref name="path"/> may be listed.</summary>
    public async ValueTask<bool> CanReadAsync(DavPath path)
    {
        if (authorizer is null)
        {
            return true;
        }

        var result = await authorizer.AuthorizeAsync(new DavAuthorizationRequest(context.Http, path, DavAccess.Read, false), context.Aborted);
        if (!result.Allowed)
        {
            Log.MemberHidden(context.Logger, DavAuthorization.UserName(context), "/" + path, result.Reason ?? "denied");
        }

        return result.Allowed;
    }
}
