using Davit.Diagnostics;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Engine.Methods;

/// <summary>Answers 207 with one response per failed member of a tree operation (RFC 4918 §9.6.1, §9.8.8).</summary>
internal static class MemberErrors
{
    public static DavResult Result(TreeErrors errors) => DavResult.From(request => WriteAsync(request, errors.Errors));

    private static async ValueTask WriteAsync(DavRequest request, IReadOnlyList<TreeError> list)
    {
        var first = list[0];
        var firstStatus = StoreStatuses.For(request.Handler, first.Error);
        Log.MembersFailed(request.Logger, request.Request.Method, request.Path.ToString(), list.Count, first.Path.ToString(), firstStatus, first.Reason);
        using var writer = MultistatusWriter.Start(request);
        foreach (var error in list)
        {
            writer.WriteStatusResponse(request.Href(error.Path, false), StoreStatuses.For(request.Handler, error.Error));
            await writer.FlushIfNeededAsync();
        }

        await writer.CompleteAsync();
    }
}
