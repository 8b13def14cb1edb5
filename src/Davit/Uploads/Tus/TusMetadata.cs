using System.Text;
using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>
/// tus's Upload-Metadata (creation extension): comma-separated pairs of a key (ASCII, no space or comma, unique) and
/// an optional Base64 value. The upload's file name comes from <c>filename</c>, its media type from <c>filetype</c>
/// (or <c>type</c>); every pair is kept to be given back on HEAD.
/// </summary>
internal static class TusMetadata
{
    /// <summary>The longest Upload-Metadata accepted; a longer one gets 400.</summary>
    public const int MaxLength = 4096;

    public static bool TryParse(string header, out Dictionary<string, string?> pairs)
    {
        pairs = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (header.Length > MaxLength)
        {
            return false;
        }

        if (header.Length == 0)
        {
            return true; // no header: no pairs
        }

        foreach (var pair in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(' ');
            if (parts.Length > 2 || parts[0].Length == 0 || !parts[0].All(c => c is > ' ' and < '\u007f') || pairs.ContainsKey(parts[0]))
            {
                return false;
            }

            string? value = null;
            if (parts.Length == 2)
            {
                try
                {
                    value = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(parts[1]));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    return false;
                }
            }

            pairs[parts[0]] = value;
        }

        return true;
    }

    /// <summary>The pairs of a creation request; 400 when malformed or without a file name.</summary>
    public static (string Raw, string FileName, string? MediaType) Require(HttpRequest request)
    {
        var raw = request.Headers["Upload-Metadata"].ToString();
        if (!TryParse(raw, out var pairs))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Upload-Metadata is malformed.");
        }

        if (!pairs.TryGetValue("filename", out var name) || string.IsNullOrEmpty(name))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Upload-Metadata names no filename: the file would have no name.");
        }

        var type = pairs.GetValueOrDefault("filetype") ?? pairs.GetValueOrDefault("type");
        return (raw, UploadName.Require(name), string.IsNullOrWhiteSpace(type) ? null : type);
    }
}
