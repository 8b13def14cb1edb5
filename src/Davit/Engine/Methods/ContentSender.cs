using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Davit.Http;
using Davit.Properties;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Davit.Engine.Methods;

/// <summary>
/// Sends a file's content for GET and HEAD: whole (200), one range (206), several ranges (206
/// multipart/byteranges, streamed part by part), or 416 (RFC 9110 §14, §15.3.7, §15.5.17). Every byte goes
/// through <see cref="IContentReader.ReadAsync"/> with an offset and a count, so any store gets ranges and nothing
/// is ever assembled in memory. The conditional headers, the validators and the bytes all come from one open version,
/// so an answer never mixes two versions of a file that is written meanwhile.
/// </summary>
internal static class ContentSender
{
    public static async ValueTask SendAsync(DavRequest context, string name, IContentReader file, DateTimeOffset now)
    {
        var request = context.Request;
        var response = context.Response;
        var length = file.Length;
        switch (Preconditions.Evaluate(request, true, file.ETag, file.ModifiedUtc, now))
        {
            case PreconditionResult.Failed:
                throw new DavException(StatusCodes.Status412PreconditionFailed, "A conditional request header did not hold.");
            case PreconditionResult.NotModified:
                response.StatusCode = StatusCodes.Status304NotModified;
                WriteValidators(response, file);
                return;
        }

        WriteValidators(response, file);
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ContentDisposition = Disposition(request, name);
        Confine(response, file.ContentType);

        var selection = HttpMethods.IsGet(request.Method) && Preconditions.IfRangeMatches(request, file, now)
            ? ByteRanges.Select(request.Headers.Range.ToString(), length)
            : RangeSelection.Full;

        switch (selection.Outcome)
        {
            case RangeOutcome.NotSatisfiable:
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{length}";
                response.ContentLength = 0;
                return;
            case RangeOutcome.Partial when selection.Ranges.Count == 1:
                var range = selection.Ranges[0];
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.ContentType = file.ContentType;
                response.Headers.ContentRange = range.ContentRange(length);
                response.ContentLength = range.Length;
                await CopyAsync(context, file, range.Offset, range.Length);
                return;
            case RangeOutcome.Partial:
                await SendMultipartAsync(context, file, selection.Ranges);
                return;
            default:
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = file.ContentType;
                response.ContentLength = length;
                if (HttpMethods.IsGet(request.Method))
                {
                    await CopyAsync(context, file, 0, length);
                }

                return;
        }
    }

    /// <summary>ETag and Last-Modified, sent with 200, 206 and 304 alike (RFC 9110 §15.3.7, §15.4.5).</summary>
    public static void WriteValidators(HttpResponse response, IContentReader file)
    {
        response.Headers.ETag = LiveProperties.QuoteETag(file.ETag);
        response.Headers.LastModified = LiveProperties.FormatHttpDate(file.ModifiedUtc);
    }

    /// <summary>
    /// Stored files are their authors' content, served from the origin of the browser page and of every user's
    /// credentials. A browser must never sniff them into something runnable, and a document that can run script
    /// (HTML, XHTML, SVG, XML with a stylesheet) is shown sandboxed: in a unique origin, without script, so an uploaded
    /// page cannot act as the person who opens it.
    /// </summary>
    private static void Confine(HttpResponse response, string contentType)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        if (CanRunScript(contentType))
        {
            response.Headers.ContentSecurityPolicy = "sandbox";
        }
    }

    internal static bool CanRunScript(string contentType)
    {
        var media = contentType.AsSpan();
        var semicolon = media.IndexOf(';');
        media = (semicolon >= 0 ? media[..semicolon] : media).Trim();
        return media.Equals("text/html", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase)
            || media.Equals("image/svg+xml", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
    }

    private static string Disposition(HttpRequest request, string name) =>
        // "?download" asks the browser to save; otherwise media play in place.
        Disposition(request.QueryString.HasValue && request.Query.ContainsKey("download") ? "attachment" : "inline", name);

    /// <summary>The Content-Disposition value for <paramref name="name"/>. RFC 6266 filename* carries any name; a name of
    /// letters, digits, '.', '-' and '_' needs neither quoting nor percent-encoding in either parameter, so it is put
    /// together directly, as the header type would write it.</summary>
    internal static string Disposition(string type, string name)
    {
        if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(PlainNameChars))
        {
            var value = new ContentDispositionHeaderValue(type);
            value.SetHttpFileName(name);
            return value.ToString();
        }

        return $"{type}; filename={name}; filename*=UTF-8''{name}";
    }

    private static readonly SearchValues<char> PlainNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_");

    private static async ValueTask SendMultipartAsync(DavRequest context, IContentReader file, IReadOnlyList<ByteRange> ranges)
    {
        var response = context.Response;
        var length = file.Length;
        var boundary = "davit-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var heads = ranges.Select((r, i) => Encoding.ASCII.GetBytes(
            $"{(i == 0 ? string.Empty : "\r\n")}--{boundary}\r\nContent-Type: {file.ContentType}\r\nContent-Range: {r.ContentRange(length)}\r\n\r\n")).ToList();
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");

        response.StatusCode = StatusCodes.Status206PartialContent;
        response.ContentType = "multipart/byteranges; boundary=" + boundary;
        response.ContentLength = heads.Sum(h => (long)h.Length) + ranges.Sum(r => r.Length) + tail.Length;
        for (var i = 0; i < ranges.Count; i++)
        {
            await response.Body.WriteAsync(heads[i], context.Aborted);
            context.BytesSent += heads[i].Length;
            await CopyAsync(context, file, ranges[i].Offset, ranges[i].Length);
        }

        await response.Body.WriteAsync(tail, context.Aborted);
        context.BytesSent += tail.Length;
    }

    private static async ValueTask CopyAsync(DavRequest context, IContentReader file, long offset, long count)
    {
        if (count == 0)
        {
            return;
        }

        await file.ReadAsync(context.Response.Body, offset, count, context.Aborted);
        context.BytesSent += count;
    }
}
