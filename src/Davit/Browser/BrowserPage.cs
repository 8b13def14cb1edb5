using System.Text.Encodings.Web;
using Davit.Engine;
using Davit.Engine.Methods;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Davit.Browser;

/// <summary>
/// What a GET on a folder answers: the browser page (a small HTML document that loads the file manager script)
/// to browsers, the plain streamed listing (<see cref="FolderListing"/>) to everyone else. Browsers are told apart
/// by <c>Accept: text/html</c>, which WebDAV clients (lftp, wget, curl, davfs2) do not send; <c>?plain</c> gives a
/// browser the plain listing too, for use without JavaScript. The assets the page loads and its JSON listing
/// (<see cref="BrowserListing"/>) are answered here as well.
/// </summary>
internal static class BrowserPage
{
    // The page talks to this server only: its own scripts and styles, WebDAV requests to its own origin.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    /// <summary>Answers a GET or HEAD on a folder.</summary>
    public static async ValueTask AnswerAsync(DavRequest context, IFolder folder)
    {
        if (context.Options.BrowserPage && BrowserAssets.IsRequested(context, folder))
        {
            await BrowserAssets.Instance.SendAsync(context);
            return;
        }

        if (context.Options.BrowserPage && BrowserListing.IsRequested(context.Request))
        {
            await BrowserListing.WriteAsync(context, folder);
            return;
        }

        // The same URL answers HTML for browsers and a plain listing for the rest: caches must keep both apart.
        context.Response.Headers.Vary = HeaderNames.Accept;
        if (!context.Options.BrowserPage || !WantsPage(context.Request))
        {
            await FolderListing.WriteAsync(context, folder);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(Render(context, folder));
        response.ContentLength = bytes.Length;
        context.BytesSent += bytes.Length;
        await response.Body.WriteAsync(bytes, context.Aborted);
    }

    private static bool WantsPage(HttpRequest request) =>
        !request.Query.ContainsKey("plain")
        && request.Headers.Accept.Any(v => v is not null && v.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Render(DavRequest context, IFolder folder)
    {
        var html = HtmlEncoder.Default;
        var assets = BrowserAssets.Instance;
        var prefix = context.HrefPrefix;
        var title = html.Encode(folder.Path == context.Home ? "/" : folder.Path.Name);
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>{title}</title>
            <link rel="icon" href="{html.Encode(assets.Url(prefix, "icon.svg"))}" type="image/svg+xml">
            <link rel="stylesheet" href="{html.Encode(assets.Url(prefix, "app.css"))}">
            <script type="module" src="{html.Encode(assets.Url(prefix, "app.js"))}"></script>
            <link rel="preload" href="{html.Encode(context.Href(folder))}?{BrowserListing.QueryKey}" as="fetch" crossorigin>
            </head>
            <body>
            <div id="davit" data-root="{html.Encode(context.Href(context.Home, true))}" data-folder="{html.Encode(context.Href(folder))}"></div>
            <noscript><p>This page needs JavaScript. <a href="?plain">The plain listing</a> works without it.</p></noscript>
            </body>
            </html>

            """;
    }
}
