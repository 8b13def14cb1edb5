using System.Security.Cryptography;
using Davit.Engine;
using Davit.Quotas;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>A digest the bytes of one request must have (tus's Upload-Checksum).</summary>
internal sealed record BodyDigest(HashAlgorithmName Algorithm, byte[] Expected);

/// <summary>
/// Appends a request body to an upload session, for tus and the IETF protocol: at the session's offset, outside any
/// unit of work, never past the upload's length or the server's limit. An interrupted body keeps what arrived (the
/// session store saves it), except when the body had to match a digest: then, as on a mismatch, nothing of it is
/// kept. The bytes are checked while they are written and cut off again when they do not match; the store's own
/// rule that saved bytes are durable means a crash between the write and the cut could leave them, which the client
/// sees as a larger offset on its next HEAD.
/// </summary>
internal static class UploadAppend
{
    /// <summary>Writes <paramref name="body"/> at the end of <paramref name="session"/> and returns the session as it
    /// is afterwards.</summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The session, as just read.</param>
    /// <param name="body">The bytes.</param>
    /// <param name="total">The upload's length when known (now or before), else null.</param>
    /// <param name="overLength">The status for bytes past <paramref name="total"/> (413 for tus, 400 for the IETF
    /// draft's inconsistent length).</param>
    /// <param name="digest">The digest the body must have, or null.</param>
    public static async ValueTask<UploadSession> WriteAsync(DavRequest request, UploadSession session, Stream body, long? total, int overLength, BodyDigest? digest)
    {
        var sessions = request.SessionStore!;
        var start = session.BytesSaved;
        Stream data = body;
        if (total is { } length)
        {
            data = new CappedStream(data, length - start, overLength, $"The upload is {length} bytes long.");
        }
        else if (request.Options.MaxUploadLength is { } max)
        {
            data = new CappedStream(data, max - start, StatusCodes.Status413PayloadTooLarge, $"Uploads are limited to {max} bytes.");
        }

        if (await QuotaGuard.BeforeUploadBytesAsync(request, session, start, request.Request.ContentLength, total) is { } room)
        {
            data = new CappedStream(data, room, StatusCodes.Status507InsufficientStorage, "The upload does not fit in its quota.", DavNames.QuotaNotExceeded);
        }

        using var hashing = digest is null ? null : new HashingStream(data, digest.Algorithm);
        try
        {
            session = await sessions.WriteAsync(session, start, hashing ?? data, total, request.Time, request.Options.UploadExpiration, request.Aborted);
        }
        catch (Exception) when (digest is not null)
        {
            // An unfinished body cannot be checked: none of it counts.
            await CutBackAsync(request, session, start);
            throw;
        }

        if (hashing is not null && !CryptographicOperations.FixedTimeEquals(hashing.Hash(), digest!.Expected))
        {
            await CutBackAsync(request, session, start);
            throw new DavException(460, "The body does not match its Upload-Checksum.");
        }

        return session;
    }

    private static async ValueTask CutBackAsync(DavRequest request, UploadSession session, long length)
    {
        var sessions = request.SessionStore!;
        var current = await sessions.GetAsync(session.Path, request.Now, CancellationToken.None);
        if (current is not null && current.Id == session.Id && current.BytesSaved > length)
        {
            await sessions.TruncateAsync(current, length, CancellationToken.None);
        }
    }
}
