using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Linq;
using Davit.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Davit.Xml;

/// <summary>
/// Streams a 207 Multi-Status body (RFC 4918 §13). The XmlWriter (<see cref="Utf8MultistatusXmlWriter"/>) writes
/// synchronously into a small buffer that is
/// drained to the response asynchronously after each response element, so a listing of any size is sent as it is
/// produced and never held whole in memory (and Kestrel never sees synchronous I/O). Text a store holds goes out with
/// what XML cannot carry replaced (<see cref="CarryingXmlWriter"/>), so no stored name or value ends a 207 halfway.
/// </summary>
/// <remarks>
/// The XmlWriter and its buffer are reused from one 207 to the next: a PROPFIND Depth 0 answer
/// is under a kilobyte, and building a writer with its buffers for each one cost more than writing it. A writer goes
/// back only after a document it wrote was completed; one left halfway by a failure is dropped.
/// </remarks>
internal sealed class MultistatusWriter : IDisposable
{
    private const int DrainThreshold = 32 * 1024;

    // Writers kept for reuse; past this many idle ones, a finished writer is dropped.
    private const int MaxIdle = 32;
    private const int MaxIdleBuffer = 2 * DrainThreshold;

    private static readonly string Ok = $"HTTP/1.1 200 {ReasonPhrases.GetReasonPhrase(200)}";
    private static readonly string NotFound = $"HTTP/1.1 404 {ReasonPhrases.GetReasonPhrase(404)}";

    private static readonly byte[] Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"u8.ToArray();

    private static readonly ConcurrentQueue<Utf8MultistatusXmlWriter> Idle = new();
    private static int idleCount;

    private readonly DavRequest request;
    private Utf8MultistatusXmlWriter? output;
    private bool completed;

    private MultistatusWriter(DavRequest request, Utf8MultistatusXmlWriter output)
    {
        this.request = request;
        this.output = output;
        Xml = output;
    }

    /// <summary>The writer for the current response element's content.</summary>
    public XmlWriter Xml { get; }

    /// <summary>Sets the 207 status and headers and opens the multistatus element.</summary>
    public static MultistatusWriter Start(DavRequest request)
    {
        request.Response.StatusCode = StatusCodes.Status207MultiStatus;
        request.Response.ContentType = "application/xml; charset=utf-8";
        var output = Idle.TryDequeue(out var idle) ? idle : new Utf8MultistatusXmlWriter();
        if (idle is not null)
        {
            Interlocked.Decrement(ref idleCount);
        }

        output.WriteRawBytes(Declaration);
        var writer = new MultistatusWriter(request, output);
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
        return Buffered.Length >= DrainThreshold ? DrainAsync() : ValueTask.CompletedTask;
    }

    /// <summary>Closes the document and sends the rest.</summary>
    public async ValueTask CompleteAsync()
    {
        Xml.WriteEndElement();
        completed = true;
        await DrainAsync();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref output, null) is not { } done)
        {
            return;
        }

        // A writer left inside a document would start the next one there; a buffer grown by a large answer is not
        // kept idle.
        var reusable = completed && done.WriteState != WriteState.Error && done.Capacity <= MaxIdleBuffer;
        if (reusable && Interlocked.Increment(ref idleCount) <= MaxIdle)
        {
            done.Clear();
            Idle.Enqueue(done);
            return;
        }

        if (reusable)
        {
            Interlocked.Decrement(ref idleCount);
        }

        done.Dispose();
    }

    /// <summary>"HTTP/1.1 404 Not Found".</summary>
    public static string StatusLine(int statusCode) => statusCode switch
    {
        StatusCodes.Status200OK => Ok,
        StatusCodes.Status404NotFound => NotFound,
        _ => $"HTTP/1.1 {statusCode} {ReasonPhrases.GetReasonPhrase(statusCode)}",
    };

    private Utf8MultistatusXmlWriter Buffered => (output ?? throw new ObjectDisposedException(nameof(MultistatusWriter)));

    private async ValueTask DrainAsync()
    {
        var buffer = Buffered;
        if (buffer.Length == 0)
        {
            return;
        }

        await request.Response.Body.WriteAsync(buffer.Written, request.Aborted);
        request.BytesSent += buffer.Length;
        buffer.Clear();
    }
}
