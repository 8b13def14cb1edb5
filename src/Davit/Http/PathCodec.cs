using System.Buffers;
using System.Text;
using Davit.Storage;

namespace Davit.Http;

/// <summary>
/// Percent-decoding of request targets into <see cref="DavPath"/> segments, and percent-encoding of segments into
/// hrefs. Decoding is done segment by segment on the raw target, so an encoded '/' can never split a name, and a
/// decoded ".", "..", '\' or NUL is refused instead of being interpreted (root confinement starts here).
/// </summary>
internal static class PathCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // RFC 3986 pchar minus pct-encoded: unreserved / sub-delims / ":" / "@". Everything else is encoded.
    private static readonly SearchValues<byte> PlainBytes = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@"u8);

    /// <summary>
    /// Splits the path part of a raw request target (no query) into decoded segments. Empty segments (from "//" or a
    /// trailing '/') are dropped. False when a segment has a bad escape, invalid UTF-8, or decodes to something
    /// that is not a valid name.
    /// </summary>
    public static bool TryDecodeSegments(ReadOnlySpan<char> rawPath, List<string> segments)
    {
        foreach (var range in rawPath.Split('/'))
        {
            var raw = rawPath[range];
            if (raw.IsEmpty)
            {
                continue;
            }

            if (!TryDecode(raw, out var segment) || !DavPath.IsValidSegment(segment))
            {
                return false;
            }

            segments.Add(segment);
        }

        return true;
    }

    /// <summary>Percent-decodes one segment as UTF-8. False on a malformed escape or invalid UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<char> raw, out string value)
    {
        value = string.Empty;
        if (raw.IndexOf('%') < 0)
        {
            value = raw.ToString();
            return true;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(raw.Length));
        try
        {
            var count = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '%')
                {
                    if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                    {
                        return false;
                    }

                    bytes[count++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                    i += 2;
                }
                else
                {
                    count += Encoding.UTF8.GetBytes(raw.Slice(i, 1), bytes.AsSpan(count));
                }
            }

            value = StrictUtf8.GetString(bytes, 0, count);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            // A lone surrogate in the raw text.
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Percent-encodes a segment's UTF-8 bytes, keeping only RFC 3986 pchar characters plain.</summary>
    public static void AppendEncoded(StringBuilder builder, string segment)
    {
        var max = Encoding.UTF8.GetMaxByteCount(segment.Length);
        var bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var count = Encoding.UTF8.GetBytes(segment, bytes);
        foreach (var b in bytes[..count])
        {
            if (PlainBytes.Contains(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }
    }

    /// <summary>
    /// <paramref name="href"/> (already encoded by <see cref="AppendEncoded"/>, so ASCII) with its sub-delimiters, ':'
    /// and '@' percent-encoded as well: only unreserved characters, '%' escapes and '/' remain. The same URL for any
    /// parser that decodes it, and nothing an HTML attribute needs to escape ('+', '&amp;' and '\'' included).
    /// </summary>
    public static string Tighten(string href)
    {
        var builder = new StringBuilder(href.Length + 16);
        foreach (var c in href)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/' or '%')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append("0123456789ABCDEF"[(c >> 4) & 0xF]).Append("0123456789ABCDEF"[c & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Encodes a list of segments as an absolute path ("/a/b"), "" for none.</summary>
    public static string EncodePath(IEnumerable<string> segments)
    {
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            builder.Append('/');
            AppendEncoded(builder, segment);
        }

        return builder.ToString();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
