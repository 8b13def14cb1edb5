using System.Xml;

namespace Davit.Xml;

/// <summary>
/// An <see cref="XmlWriter"/> that writes every text it is given (element text, attribute values, comments, CDATA,
/// processing instructions) with the characters XML 1.0 cannot carry shown as U+FFFD (<see cref="XmlChars"/>). The
/// inner writer checks characters and throws on such a one, which in a streamed 207 would end the document halfway;
/// what reaches a response is a store's (names made on disk, dead properties and lock owners set by an application),
/// so every response body goes through this writer (a 207's through <see cref="Utf8MultistatusXmlWriter"/>, which hands
/// it every text holding a character that might need replacing) and no stored value can break one.
/// </summary>
/// <param name="inner">The writer to write to.</param>
/// <param name="surrogatesOnly">Replace only surrogates that are not half of a pair (for an inner writer that does not
/// check characters and writes the others as character references, to store them).</param>
internal sealed class CarryingXmlWriter(XmlWriter inner, bool surrogatesOnly = false) : XmlWriter
{
    public override WriteState WriteState => inner.WriteState;

    public override XmlWriterSettings? Settings => inner.Settings;

    public override string? XmlLang => inner.XmlLang;

    public override XmlSpace XmlSpace => inner.XmlSpace;

    public override void Flush() => inner.Flush();

    public override string? LookupPrefix(string ns) => inner.LookupPrefix(ns);

    public override void WriteBase64(byte[] buffer, int index, int count) => inner.WriteBase64(buffer, index, count);

    public override void WriteCData(string? text) => inner.WriteCData(Carry(text));

    public override void WriteCharEntity(char ch)
    {
        if (surrogatesOnly ? !char.IsSurrogate(ch) : XmlChars.CanCarry(ch.ToString()))
        {
            inner.WriteCharEntity(ch);
        }
        else
        {
            inner.WriteString(XmlChars.Replacement);
        }
    }

    public override void WriteChars(char[] buffer, int index, int count) => WriteString(new string(buffer, index, count));

    public override void WriteComment(string? text) => inner.WriteComment(Carry(text));

    public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) => inner.WriteDocType(name, pubid, sysid, subset);

    public override void WriteEndAttribute() => inner.WriteEndAttribute();

    public override void WriteEndDocument() => inner.WriteEndDocument();

    public override void WriteEndElement() => inner.WriteEndElement();

    public override void WriteEntityRef(string name) => inner.WriteEntityRef(name);

    public override void WriteFullEndElement() => inner.WriteFullEndElement();

    public override void WriteProcessingInstruction(string name, string? text) => inner.WriteProcessingInstruction(name, Carry(text));

    public override void WriteRaw(char[] buffer, int index, int count) => WriteRaw(new string(buffer, index, count));

    public override void WriteRaw(string data) => inner.WriteRaw(Carry(data)!);

    public override void WriteStartAttribute(string? prefix, string localName, string? ns) => inner.WriteStartAttribute(prefix, localName, ns);

    public override void WriteStartDocument() => inner.WriteStartDocument();

    public override void WriteStartDocument(bool standalone) => inner.WriteStartDocument(standalone);

    public override void WriteStartElement(string? prefix, string localName, string? ns) => inner.WriteStartElement(prefix, localName, ns);

    public override void WriteString(string? text) => inner.WriteString(Carry(text));

    public override void WriteSurrogateCharEntity(char lowChar, char highChar)
    {
        if (char.IsSurrogatePair(highChar, lowChar))
        {
            inner.WriteSurrogateCharEntity(lowChar, highChar);
        }
        else
        {
            inner.WriteString(XmlChars.Replacement);
        }
    }

    public override void WriteWhitespace(string? ws) => inner.WriteWhitespace(ws);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private string? Carry(string? text) => text is null ? null : surrogatesOnly ? XmlChars.PairedSurrogates(text) : XmlChars.Carryable(text);
}
