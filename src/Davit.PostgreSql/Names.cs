using System.Text;
using Davit.Storage;

namespace Davit.PostgreSql;

/// <summary>
/// What a name or a path must be for PostgreSQL to keep it exactly: UTF-8 text (so no unpaired surrogate, which has
/// no UTF-8 form, and no NUL, which PostgreSQL text cannot hold), short enough for a btree index entry.
/// </summary>
internal static class Names
{
    /// <summary>The longest name, in UTF-8 bytes (file systems allow 255; a btree entry holds about 2,700).</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>The longest path of a lock root or an upload, in UTF-8 bytes.</summary>
    public const int MaxPathBytes = 2400;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws <see cref="StoreError.NameNotSupported"/> unless <paramref name="name"/> can be a member's name.</summary>
    public static void Check(string name)
    {
        if (!DavPath.IsValidSegment(name) || ByteCount(name) is not (> 0 and <= MaxNameBytes))
        {
            throw new StoreException(StoreError.NameNotSupported, "The name cannot be kept in the database (invalid UTF-16, NUL, or longer than 1024 UTF-8 bytes).");
        }
    }

    /// <summary>Throws <see cref="StoreError.NameNotSupported"/> unless every segment of <paramref name="path"/> can be
    /// kept and the path is not too long.</summary>
    public static string CheckPath(DavPath path)
    {
        var text = path.ToString();
        if (ByteCount(text) is < 0 or > MaxPathBytes || text.Contains('\0', StringComparison.Ordinal))
        {
            throw new StoreException(StoreError.NameNotSupported, "The path cannot be kept in the database (invalid UTF-16, NUL, or longer than 2400 UTF-8 bytes).");
        }

        return text;
    }

    /// <summary>True when the path resolves to nothing because a segment could never have been stored.</summary>
    public static bool IsStorable(DavPath path)
    {
        foreach (var segment in path.Segments)
        {
            if (ByteCount(segment) is < 0 or > MaxNameBytes)
            {
                return false;
            }
        }

        return true;
    }

    // -1 for text with an unpaired surrogate.
    private static int ByteCount(string text)
    {
        try
        {
            return Strict.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            return -1;
        }
    }
}
