using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Davit.Xml;

/// <summary>
/// Text that an XML 1.0 document can carry. Names are exact and may hold characters XML 1.0 forbids (C0 controls other
/// than tab, line feed and carriage return; U+FFFE, U+FFFF) when they were made outside the server; such a character in
/// a 207 would end the document halfway. New names with them are refused (400); names already there are still served
/// and listed, their hrefs percent-encoded exactly, and wherever text goes into XML (DAV:displayname, dead property
/// values, lock owners: everything written through <see cref="CarryingXmlWriter"/>) each forbidden character, and each
/// surrogate that is not half of a pair, is shown as U+FFFD.
/// </summary>
internal static class XmlChars
{
    /// <summary>What stands for a character XML 1.0 cannot carry.</summary>
    public const string Replacement = "\uFFFD";

    // Stored XML (a dead property, a lock owner) is read back without character checks, so a value that was written
    // outside the server with a forbidden character reference still parses, and is shown with U+FFFD.
    private static readonly XmlReaderSettings StoredXml = new()
    {
        CheckCharacters = false,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    /// <summary>True when every character of <paramref name="text"/> may appear in XML 1.0.</summary>
    public static bool CanCarry(string text) => FirstUncarried(text) < 0;

    /// <summary><paramref name="text"/> with every character XML 1.0 cannot carry replaced by U+FFFD.</summary>
    public static string Carryable(string text)
    {
        var first = FirstUncarried(text);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text, 0, first, text.Length);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(IsCarried(c) ? c : '\uFFFD');
            }
        }

        return builder.ToString();
    }

    /// <summary><paramref name="text"/> with every surrogate that is not half of a pair replaced by U+FFFD (no UTF-8 text
    /// can hold one); the other characters are left alone.</summary>
    public static string PairedSurrogates(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Parses XML a store kept (written by the engine, or by someone else): references to characters XML 1.0
    /// forbids are let through, to be replaced on the way out, and such characters written as they are become U+FFFD.
    /// Null when it is not well-formed.</summary>
    public static XElement? ParseStored(string xml)
    {
        try
        {
            // A reader lets character references to forbidden characters through, never the characters themselves.
            using var reader = XmlReader.Create(new StringReader(Carryable(xml)), StoredXml);
            return XElement.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static int FirstUncarried(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!IsCarried(c))
            {
                return i;
            }
        }

        return -1;
    }

    // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (surrogate pairs, handled by
    // the callers; a surrogate alone is not carried).
    private static bool IsCarried(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF' && !char.IsSurrogate(c));
}
