using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// The ownCloud checksum header on PUT, <c>OC-Checksum: SHA1:&lt;hex&gt;</c> (or <c>MD5:</c>; several separated by
/// spaces), as rclone and the ownCloud and Nextcloud clients send it: the engine hashes the body as it streams and
/// refuses a body that does not match with 400, before anything is stored or inside the write's unit of work, so that
/// nothing stays. Algorithms the engine does not compute (ADLER32, ...) are not checked.
/// </summary>
internal static class ContentChecksums
{
    public const string Header = "OC-Checksum";

    /// <summary>The expected hashes, each as lowercase hex, or null when the header is absent.</summary>
    /// <exception cref="DavException">400 when the header is not a list of ALGORITHM:hex.</exception>
    public static (string? Sha1, string? Md5)? Read(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0)
        {
            return null;
        }

        return TryParse(string.Join(' ', values.ToArray()), out var sums)
            ? sums
            : throw new DavException(StatusCodes.Status400BadRequest, $"{Header} must be a list of ALGORITHM:hex (as SHA1:da39a3ee...).");
    }

    /// <summary>Reads "SHA1:hex MD5:hex ..." (algorithms in any case, other algorithms skipped); false when a token is
    /// not ALGORITHM:hex or a SHA-1 or MD5 has the wrong number of digits.</summary>
    public static bool TryParse(string text, out (string? Sha1, string? Md5) sums)
    {
        sums = default;
        foreach (var token in text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            var hex = colon > 0 ? token[(colon + 1)..] : string.Empty;
            if (hex.Length == 0 || !hex.All(char.IsAsciiHexDigit))
            {
                return false;
            }

            switch (token[..colon].ToUpperInvariant())
            {
                case "SHA1" when hex.Length == 40:
                    sums.Sha1 = hex.ToLowerInvariant();
                    break;
                case "MD5" when hex.Length == 32:
                    sums.Md5 = hex.ToLowerInvariant();
                    break;
                case "SHA1" or "MD5":
                    return false;
            }
        }

        return true;
    }

    /// <summary>Throws 400 when <paramref name="actual"/> contradicts <paramref name="expected"/>.</summary>
    public static void Verify((string? Sha1, string? Md5) expected, ContentHashes actual)
    {
        if ((expected.Sha1 is not null && expected.Sha1 != actual.Sha1) || (expected.Md5 is not null && expected.Md5 != actual.Md5))
        {
            throw new MismatchException($"The body does not match {Header} (it has SHA1:{actual.Sha1} MD5:{actual.Md5}); nothing was stored.");
        }
    }

    /// <summary>400: the body is not the one the client's checksum describes.</summary>
    internal sealed class MismatchException(string message) : DavException(StatusCodes.Status400BadRequest, message);
}
