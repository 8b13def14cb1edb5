using System.Buffers;
using System.Text;
using System.Xml;

namespace Davit.Xml;

/// <summary>
/// The XmlWriter under a 207: writes UTF-8 bytes straight into its buffer for what the engine writes on every member
/// (elements with the D: prefix, plain text), and hands everything else (a dead property's stored XML, names in other
/// namespaces, text with control characters or surrogates) to a standard XmlWriter, so that those bytes are exactly
/// what that writer makes. Its output is byte for byte what <see cref="CarryingXmlWriter"/> over
/// <c>XmlWriter.Create</c> (UTF-8, fragment, <see cref="NamespaceHandling.OmitDuplicates"/>) writes for the same calls;
/// the standard writer, checking names and nesting, cost more than the rest of a listing (PROPFIND Depth 1).
/// </summary>
/// <remarks>
/// The handed-over part is written inside a stand-in element that declares what is in scope at that point (the D:
/// prefix, declared once on the document's root element; the D: elements written here declare nothing else), and only
/// the bytes between its tags are kept. So namespace declarations, generated prefixes and escaping come out as the
/// standard writer makes them in the same place.
/// </remarks>
internal sealed class Utf8MultistatusXmlWriter : XmlWriter
{
    private const string Prefix = DavNames.Prefix;

    private static readonly XmlWriterSettings HandedSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CloseOutput = false,
        ConformanceLevel = ConformanceLevel.Fragment,
        NamespaceHandling = NamespaceHandling.OmitDuplicates,
    };

    // Text that is printable ASCII or other characters below the surrogates needs no more than '<', '>', '&' escaped;
    // a control character (line ends are rewritten, others replaced) or a surrogate or U+FFFE/U+FFFF goes to the
    // standard writer.
    private static readonly SearchValues<char> Markup = SearchValues.Create("<>&");

    // Element names the engine writes: ASCII letters, digits, '-', '_', '.' after a letter.
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    private readonly List<string> open = [];
    private readonly MemoryStream handedBuffer = new();
    private XmlWriter? handed;
    private byte[] buffer = new byte[16 * 1024];
    private int length;

    // An element's start tag is written up to its name; '>' or " />" follows once its content or end is known.
    private bool startTagOpen;
    private int tagStart;

    // Depth inside an element written by the standard writer (0: none is open).
    private int handedDepth;
    private bool failed;

    /// <summary>What has been written and not yet taken.</summary>
    public ReadOnlyMemory<byte> Written => buffer.AsMemory(0, length);

    /// <summary>Bytes written and not yet taken.</summary>
    public int Length => length;

    /// <summary>The size of the larger buffer, its own or the standard writer's (each grows for a large element and
    /// is not shrunk).</summary>
    public int Capacity => Math.Max(buffer.Length, handedBuffer.Capacity);

    public override WriteState WriteState =>
        failed || handed?.WriteState == WriteState.Error ? WriteState.Error : startTagOpen ? WriteState.Element : open.Count > 0 ? WriteState.Content : WriteState.Start;

    /// <summary>Forgets what was written (after it was sent).</summary>
    public void Clear() => length = 0;

    /// <summary>Appends bytes as they are (the XML declaration).</summary>
    public void WriteRawBytes(ReadOnlySpan<byte> bytes) => Append(bytes);

    public override void Flush()
    {
    }

    public override string? LookupPrefix(string ns) =>
        handedDepth > 0 ? handed!.LookupPrefix(ns) : ns == DavNames.Namespace && open.Count > 0 ? Prefix : null;

    public override void WriteStartElement(string? prefix, string localName, string? ns)
    {
        if (handedDepth == 0 && ns == DavNames.Namespace && (prefix == Prefix || (prefix is null && open.Count > 0)) && IsPlainName(localName))
        {
            CloseStartTag();
            tagStart = length;
            Append("<D:"u8);
            AppendAscii(localName);
            if (open.Count == 0)
            {
                Append(" xmlns:D=\"DAV:\""u8);
            }

            open.Add(localName);
            startTagOpen = true;
            return;
        }

        (handedDepth > 0 ? handed! : Hand()).WriteStartElement(prefix, localName, ns);
        handedDepth++;
    }

    public override void WriteEndElement() => End(full: false);

    public override void WriteFullEndElement() => End(full: true);

    public override void WriteString(string? text)
    {
        if (handedDepth > 0 || (text is not null && !IsPlainText(text)))
        {
            HandContent(text, static (w, t) => w.WriteString(t));
            return;
        }

        if (text is null)
        {
            return;
        }

        CloseStartTag();
        var span = text.AsSpan();
        while (span.Length > 0)
        {
            var next = span.IndexOfAny(Markup);
            AppendUtf8(next < 0 ? span : span[..next]);
            if (next < 0)
            {
                break;
            }

            Append(span[next] switch { '<' => "&lt;"u8, '>' => "&gt;"u8, _ => "&amp;"u8 });
            span = span[(next + 1)..];
        }
    }

    public override void WriteStartAttribute(string? prefix, string localName, string? ns)
    {
        if (handedDepth == 0)
        {
            HandOpenElement();
        }

        handed!.WriteStartAttribute(prefix, localName, ns);
    }

    public override void WriteEndAttribute() =>
        (handedDepth > 0 ? handed! : throw new InvalidOperationException("No attribute is open.")).WriteEndAttribute();

    public override void WriteCData(string? text) => HandContent(text, static (w, t) => w.WriteCData(t));

    public override void WriteComment(string? text) => HandContent(text, static (w, t) => w.WriteComment(t));

    public override void WriteProcessingInstruction(string name, string? text) =>
        HandContent((name, text), static (w, t) => w.WriteProcessingInstruction(t.name, t.text));

    public override void WriteEntityRef(string name) => HandContent(name, static (w, t) => w.WriteEntityRef(t));

    public override void WriteCharEntity(char ch) => HandContent(ch, static (w, t) => w.WriteCharEntity(t));

    public override void WriteWhitespace(string? ws) => HandContent(ws, static (w, t) => w.WriteWhitespace(t));

    public override void WriteSurrogateCharEntity(char lowChar, char highChar) =>
        HandContent((lowChar, highChar), static (w, t) => w.WriteSurrogateCharEntity(t.lowChar, t.highChar));

    public override void WriteChars(char[] buffer, int index, int count) => WriteString(new string(buffer, index, count));

    public override void WriteRaw(char[] buffer, int index, int count) => WriteRaw(new string(buffer, index, count));

    public override void WriteRaw(string data) => HandContent(data, static (w, t) => w.WriteRaw(t));

    public override void WriteBase64(byte[] buffer, int index, int count) =>
        HandContent((buffer, index, count), static (w, t) => w.WriteBase64(t.buffer, t.index, t.count));

    public override void WriteStartDocument() => throw new NotSupportedException("A 207 is written as a fragment.");

    public override void WriteStartDocument(bool standalone) => WriteStartDocument();

    public override void WriteEndDocument() => throw new NotSupportedException("A 207 is written as a fragment.");

    public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) => WriteStartDocument();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handed?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsPlainName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && !name.AsSpan().ContainsAnyExcept(NameChars);

    private static bool IsPlainText(string text)
    {
        var span = text.AsSpan();
        return !span.ContainsAnyInRange('\0', '\u001F') && !span.ContainsAnyInRange('\uD800', '\uFFFF');
    }

    private void End(bool full)
    {
        if (handedDepth > 0)
        {
            if (full)
            {
                handed!.WriteFullEndElement();
            }
            else
            {
                handed!.WriteEndElement();
            }

            if (--handedDepth == 0)
            {
                TakeHanded();
            }

            return;
        }

        if (open.Count == 0)
        {
            failed = true;
            throw new InvalidOperationException("There was no XML start tag open.");
        }

        var name = open[^1];
        open.RemoveAt(open.Count - 1);
        if (startTagOpen && !full)
        {
            startTagOpen = false;
            Append(" />"u8);
            return;
        }

        CloseStartTag();
        Append("</D:"u8);
        AppendAscii(name);
        Append(">"u8);
    }

    // A D: element given attributes (stored XML such as a dead property or a lock owner in DAV:) goes to the standard
    // writer after all: its start tag, still open and only just written, is taken back and written there.
    private void HandOpenElement()
    {
        if (!startTagOpen || open.Count < 2)
        {
            failed = true;
            throw new InvalidOperationException("An attribute must follow a start tag inside the multistatus element.");
        }

        var name = open[^1];
        open.RemoveAt(open.Count - 1);
        startTagOpen = false;
        length = tagStart;
        Hand().WriteStartElement(Prefix, name, DavNames.Namespace);
        handedDepth = 1;
    }

    // One call's content (text, a comment, ...) through the standard writer, or inside what it is already writing.
    private void HandContent<T>(T value, Action<XmlWriter, T> write)
    {
        if (handedDepth > 0)
        {
            write(handed!, value);
            return;
        }

        write(Hand(), value);
        TakeHanded();
    }

    // Opens the stand-in element; what the standard writer writes next is what goes into the 207.
    private XmlWriter Hand()
    {
        CloseStartTag();
        try
        {
            handed ??= new CarryingXmlWriter(XmlWriter.Create(handedBuffer, HandedSettings));
            handed.WriteStartElement(Prefix, "x", DavNames.Namespace);
            handed.WriteString(string.Empty); // ends the stand-in's start tag
            handed.Flush();
            handedBuffer.SetLength(0);
            return handed;
        }
        catch
        {
            failed = true;
            throw;
        }
    }

    // Takes what was written inside the stand-in element, and closes it.
    private void TakeHanded()
    {
        var writer = handed!;
        writer.Flush();
        Append(handedBuffer.GetBuffer().AsSpan(0, (int)handedBuffer.Length));
        writer.WriteEndElement();
        writer.Flush();
        handedBuffer.SetLength(0);
    }

    private void CloseStartTag()
    {
        if (failed)
        {
            throw new InvalidOperationException("The 207 writer failed earlier.");
        }

        if (startTagOpen)
        {
            startTagOpen = false;
            Append(">"u8);
        }
    }

    private void AppendAscii(string text)
    {
        var target = Reserve(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            target[i] = (byte)text[i];
        }

        length += text.Length;
    }

    private void AppendUtf8(ReadOnlySpan<char> text)
    {
        var target = Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        length += Encoding.UTF8.GetBytes(text, target);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        length += bytes.Length;
    }

    private Span<byte> Reserve(int count)
    {
        if (buffer.Length - length < count)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        }

        return buffer.AsSpan(length);
    }
}
