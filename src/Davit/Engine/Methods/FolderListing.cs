using System.Globalization;
using System.Text;
using Davit.Authorization;
using Davit.Http;
using Davit.Properties;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// A plain HTML listing of a folder for WebDAV and download clients (lftp, wget), streamed as the store yields its
/// members. Clients read it with simple parsers: lftp takes a link's target up to the first '&amp;' or quote. So an
/// href carries no character reference at all: everything but letters, digits, "-._~" and '/' is percent-encoded
/// ('+' as %2B, '\'' as %27, '&amp;' as %26), and a name in the link text escapes only '&amp;', '&lt;', '&gt;' and '"'.
/// </summary>
internal static class FolderListing
{
    private const int FlushThreshold = 16 * 1024;

    public static async ValueTask WriteAsync(DavRequest context, IFolder folder)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var title = Text("Index of /" + HomeFolders.ToVisible(context.Home, folder.Path));
        var page = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title></head>\n<body>\n<h1>")
            .Append(title).Append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n");
        if (folder.Path != context.Home)
        {
            page.Append("<tr><td><a href=\"").Append(PathCodec.Tighten(context.Href(folder.Path.Parent, true))).Append("\">../</a></td><td></td><td></td></tr>\n");
        }

        var readable = ReadFilter.For(context);
        await foreach (var child in folder.GetChildrenAsync(PropertySelection.None, context.Aborted))
        {
            if (!await readable.CanReadAsync(child.Path))
            {
                continue;
            }

            var name = child is IFolder ? child.Name + "/" : child.Name;
            var size = child is IFile file ? file.ContentLength.ToString(CultureInfo.InvariantCulture) : string.Empty;
            page.Append("<tr><td><a href=\"").Append(context.PlainHref(child)).Append("\">").Append(Text(name))
                .Append("</a></td><td>").Append(size).Append("</td><td>").Append(LiveProperties.FormatHttpDate(child.ModifiedUtc)).Append("</td></tr>\n");
            if (page.Length >= FlushThreshold)
            {
                await FlushAsync(context, page);
            }
        }

        page.Append("</table>\n</body></html>\n");
        await FlushAsync(context, page);
    }

    /// <summary>Text for HTML content: the four characters markup needs escaped, and U+FFFD for what no HTML text
    /// should hold (controls but tab, line feed and carriage return; U+FFFE, U+FFFF; a surrogate alone).</summary>
    private static string Text(string text)
    {
        var carried = Xml.XmlChars.Carryable(text);
        if (carried.AsSpan().IndexOfAny("&<>\"") < 0)
        {
            return carried;
        }

        var builder = new StringBuilder(carried.Length + 16);
        foreach (var c in carried)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static async ValueTask FlushAsync(DavRequest context, StringBuilder page)
    {
        var bytes = Encoding.UTF8.GetBytes(page.ToString());
        page.Clear();
        await context.Response.Body.WriteAsync(bytes, context.Aborted);
        context.BytesSent += bytes.Length;
    }
}
