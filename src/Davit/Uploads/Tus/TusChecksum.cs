using System.Security.Cryptography;
using Davit.Engine;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.Tus;

/// <summary>tus's checksum extension: <c>Upload-Checksum: &lt;algorithm&gt; &lt;Base64 digest&gt;</c> on a PATCH (or a
/// creation with upload). 400 for an algorithm not offered or a malformed value; 460 when the body does not match.</summary>
internal static class TusChecksum
{
    /// <summary>The algorithms offered, as Tus-Checksum-Algorithm lists them.</summary>
    public const string Algorithms = "sha1,sha256,sha512,md5";

    public static BodyDigest? Read(HttpRequest request)
    {
        var header = request.Headers["Upload-Checksum"].ToString();
        if (header.Length == 0)
        {
            return null;
        }

        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        HashAlgorithmName? algorithm = parts.Length == 2 ? parts[0].ToLowerInvariant() switch
        {
            "sha1" => HashAlgorithmName.SHA1,
            "sha256" => HashAlgorithmName.SHA256,
            "sha512" => HashAlgorithmName.SHA512,
            "md5" => HashAlgorithmName.MD5,
            _ => null,
        } : null;
        if (algorithm is null)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"Upload-Checksum must be one of {Algorithms} and a Base64 digest.");
        }

        try
        {
            return new BodyDigest(algorithm.Value, Convert.FromBase64String(parts[1]));
        }
        catch (FormatException)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The digest of Upload-Checksum is not Base64.");
        }
    }
}
