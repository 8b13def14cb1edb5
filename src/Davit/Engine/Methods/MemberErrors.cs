using Davit.Diagnostics;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Engine.Methods;

/// <summary>Answers 207 with one response per failed member of a tree operation (RFC 4918 §9.6.1, §9.8.8).</summary>
internal static class MemberErrors
{
    public static async ValueTask WriteAsync(DavContext context, MultistatusErrors errors)
    {
        var list = errors.Errors;
        Log.MembersFailed(context.Logger, context.Request.Method, context.Path.ToString(), list.Count, list[0].Path.ToString(), list[0].StatusCode, list[0].Reason);
        using var writer = MultistatusWriter.Start(context);
        foreach (var error in list)
        {
            writer.WriteStatusResponse(context.Href(error.Path, false), error.StatusCode);
            await writer.FlushIfNeededAsync();
        }

        await writer.CompleteAsync();
    }
}
