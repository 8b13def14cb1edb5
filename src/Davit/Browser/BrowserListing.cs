using System.Text.Json;
using Davit.Authorization;
using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Browser;

/// <summary>
/// A folder's members as JSON, for the browser page (<c>GET folder/?davit-listing</c>): name, href, folder or not,
/// size and modification time, streamed as the store yields them. The page could read the same from PROPFIND, but
/// for 10,000 members the 207 body is three times larger and the browser's XML parser alone takes longer than the
/// page's whole one-second budget.
/// </summary>
internal static class BrowserListing
{
    public const string QueryKey = "davit-listing";

    private const int FlushThreshold = 32 * 1024;

    public static bool IsRequested(HttpRequest request) => request.Query.ContainsKey(QueryKey);

    public static async ValueTask WriteAsync(DavRequest context, IFolder folder)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var body = response.BodyWriter;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("href", context.Href(folder));
        json.WriteStartArray("entries");
        var readable = ReadFilter.For(context);
        await foreach (var child in folder.GetChildrenAsync(PropertySelection.None, context.Aborted))
        {
            // As in every listing: what the user may not read is not there.
            if (!await readable.CanReadAsync(child.Path))
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("name", child.Name);
            json.WriteString("href", context.Href(child));
            json.WriteBoolean("folder", child is IFolder);
            json.WriteNumber("size", child is IFile file ? file.ContentLength : 0);
            json.WriteNumber("modified", child.ModifiedUtc.ToUnixTimeMilliseconds());
            json.WriteEndObject();
            if (json.BytesPending >= FlushThreshold)
            {
                await FlushAsync(context, json);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await FlushAsync(context, json);
    }

    private static async ValueTask FlushAsync(DavRequest context, Utf8JsonWriter json)
    {
        context.BytesSent += json.BytesPending;
        json.Flush();
        await context.Response.BodyWriter.FlushAsync(context.Aborted);
    }
}
