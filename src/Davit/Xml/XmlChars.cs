using System.Text;

namespace Davit.Xml;

/// <summary>
/// Text that an XML 1.0 document can carry. Names are exact and may hold characters XML 1.0 forbids (C0 controls other
/// than tab, line feed and carriage return; U+FFFE, U+FFFF) when they were made outside the server; such a character in
/// a 207 would end the document halfway. New names with them are refused (400); names already there are still served
/// and listed, their hrefs percent-encoded exactly, and where the raw text goes into XML (DAV:displayname) each
/// forbidden character is shown as U+FFFD.
/// </summary>
internal static class XmlChars
{
    /// <summary>True when every character of <paramref name="text"/> may appear in XML 1.0.</summary>
    public static bool CanCarry(string text)
    {
        // Surrogates need no check: names are decoded from strict UTF-8, so they always come in pairs.
        foreach (var c in text)
        {
            if (!IsCarried(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><paramref name="text"/> with every character XML 1.0 cannot carry replaced by U+FFFD.</summary>
    public static string Carryable(string text)
    {
        var first = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsCarried(text[i]))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text, 0, first, text.Length);
        for (var i = first; i < text.Length; i++)
        {
            builder.Append(IsCarried(text[i]) ? text[i] : '\uFFFD');
        }

        return builder.ToString();
    }

    // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (surrogate pairs).
    private static bool IsCarried(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF');
}
