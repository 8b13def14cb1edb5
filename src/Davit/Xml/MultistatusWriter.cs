using System.Text;
using System.Xml;
using Davit.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Davit.Xml;

/// <summary>
/// Streams a 207 Multi-Status body (RFC 4918 §13). The XmlWriter writes synchronously into a small buffer that is
/// drained to the response asynchronously after each response element, so a listing of any size is sent as it is
/// produced and never held whole in memory (and Kestrel never sees synchronous I/O).
/// </summary>
internal sealed class MultistatusWriter : IDisposable
{
    private const int DrainThreshold = 32 * 1024;

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CloseOutput = false,
        NamespaceHandling = NamespaceHandling.OmitDuplicates,
    };

    private readonly DavContext context;
    private readonly MemoryStream buffer = new();

    private MultistatusWriter(DavContext context)
    {
        this.context = context;
        Xml = XmlWriter.Create(buffer, Settings);
    }

    /// <summary>The writer for the current response element's content.</summary>
    public XmlWriter Xml { get; }

    /// <summary>Sets the 207 status and headers and opens the multistatus element.</summary>
    public static MultistatusWriter Start(DavContext context)
    {
        context.Response.StatusCode = StatusCodes.Status207MultiStatus;
        context.Response.ContentType = "application/xml; charset=utf-8";
        var writer = new MultistatusWriter(context);
        writer.Xml.WriteStartDocument();
        writer.Xml.WriteStartElement(DavNames.Prefix, "multistatus", DavNames.Namespace);
        return writer;
    }

    /// <summary>Writes &lt;D:href&gt;.</summary>
    public void WriteHref(string href) => Xml.WriteElementString(DavNames.Prefix, "href", DavNames.Namespace, href);

    /// <summary>Writes &lt;D:status&gt;HTTP/1.1 code reason&lt;/D:status&gt;.</summary>
    public void WriteStatus(int statusCode) =>
        Xml.WriteElementString(DavNames.Prefix, "status", DavNames.Namespace, StatusLine(statusCode));

    /// <summary>Writes a response that carries only a status (a failed member of a tree operation).</summary>
    public void WriteStatusResponse(string href, int statusCode)
    {
        Xml.WriteStartElement(DavNames.Prefix, "response", DavNames.Namespace);
        WriteHref(href);
        WriteStatus(statusCode);
        Xml.WriteEndElement();
    }

    /// <summary>Sends what has been written so far once enough has accumulated.</summary>
    public ValueTask FlushIfNeededAsync()
    {
        Xml.Flush();
        return buffer.Length >= DrainThreshold ? DrainAsync() : ValueTask.CompletedTask;
    }

    /// <summary>Closes the document and sends the rest.</summary>
    public async ValueTask CompleteAsync()
    {
        Xml.WriteEndElement();
        Xml.WriteEndDocument();
        Xml.Flush();
        await DrainAsync();
    }

    public void Dispose()
    {
        Xml.Dispose();
        buffer.Dispose();
    }

    /// <summary>"HTTP/1.1 404 Not Found".</summary>
    public static string StatusLine(int statusCode) =>
        $"HTTP/1.1 {statusCode} {ReasonPhrases.GetReasonPhrase(statusCode)}";

    private async ValueTask DrainAsync()
    {
        if (buffer.Length == 0)
        {
            return;
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.Aborted);
        context.BytesSent += buffer.Length;
        buffer.SetLength(0);
    }
}
