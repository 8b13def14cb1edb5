using System.Text;
using System.Xml;
using System.Xml.Linq;
using Davit.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Davit.Xml;

/// <summary>
/// Streams a 207 Multi-Status body (RFC 4918 §13). The XmlWriter writes synchronously into a small buffer that is
/// drained to the response asynchronously after each response element, so a listing of any size is sent as it is
/// produced and never held whole in memory (and Kestrel never sees synchronous I/O). Text a store holds goes out with
/// what XML cannot carry replaced (<see cref="CarryingXmlWriter"/>), so no stored name or value ends a 207 halfway.
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

    private readonly DavRequest request;
    private readonly MemoryStream buffer = new();

    private MultistatusWriter(DavRequest request)
    {
        this.request = request;
        Xml = new CarryingXmlWriter(XmlWriter.Create(buffer, Settings));
    }

    /// <summary>The writer for the current response element's content.</summary>
    public XmlWriter Xml { get; }

    /// <summary>Sets the 207 status and headers and opens the multistatus element.</summary>
    public static MultistatusWriter Start(DavRequest request)
    {
        request.Response.StatusCode = StatusCodes.Status207MultiStatus;
        request.Response.ContentType = "application/xml; charset=utf-8";
        var writer = new MultistatusWriter(request);
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

    /// <summary>Opens &lt;D:response&gt; with its &lt;D:href&gt;; close it with <see cref="EndResponse"/>.</summary>
    public void BeginResponse(string href)
    {
        Xml.WriteStartElement(DavNames.Prefix, "response", DavNames.Namespace);
        WriteHref(href);
    }

    /// <summary>Closes the &lt;D:response&gt; opened by <see cref="BeginResponse"/>.</summary>
    public void EndResponse() => Xml.WriteEndElement();

    /// <summary>Opens &lt;D:propstat&gt;&lt;D:prop&gt;; close them with <see cref="EndPropstat"/>.</summary>
    public void BeginPropstat()
    {
        Xml.WriteStartElement(DavNames.Prefix, "propstat", DavNames.Namespace);
        Xml.WriteStartElement(DavNames.Prefix, "prop", DavNames.Namespace);
    }

    /// <summary>Closes &lt;D:prop&gt;, writes the propstat's status, and closes &lt;D:propstat&gt;.</summary>
    public void EndPropstat(int statusCode)
    {
        Xml.WriteEndElement();
        WriteStatus(statusCode);
        Xml.WriteEndElement();
    }

    /// <summary>Writes an empty property element (a property name without its value).</summary>
    public void WriteEmptyProperty(XName name)
    {
        if (name.Namespace == DavNames.Dav)
        {
            Xml.WriteStartElement(DavNames.Prefix, name.LocalName, DavNames.Namespace);
        }
        else
        {
            Xml.WriteStartElement(name.LocalName, name.NamespaceName);
        }

        Xml.WriteEndElement();
    }

    /// <summary>Writes one propstat holding the names of <paramref name="names"/>, with <paramref name="statusCode"/>.</summary>
    public void WritePropstat(IEnumerable<XName> names, int statusCode)
    {
        BeginPropstat();
        foreach (var name in names)
        {
            WriteEmptyProperty(name);
        }

        EndPropstat(statusCode);
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

        await request.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), request.Aborted);
        request.BytesSent += buffer.Length;
        buffer.SetLength(0);
    }
}
