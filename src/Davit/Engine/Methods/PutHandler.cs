using Davit.Http;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// PUT (RFC 9110 §9.3.4, RFC 4918 §9.7): the body is staged, then stored atomically. 201 for a new file, 204 for a
/// replaced one, 409 when the parent is missing, 405 on a folder, 412 for Overwrite: F on an existing file or a
/// conditional write whose version changed meanwhile, 400 for a body that ends short of its announced length or a
/// Content-Range that resumable uploads did not take. Large bodies are staged in an upload session, so that an
/// interrupted one can be resumed. <c>X-OC-Mtime</c> sets the new content's modification time (<see cref="ClientTimes"/>;
/// 400 when it is no Unix time). The body is hashed as it streams: the hashes are kept where the store can
/// (<see cref="IContentHashes"/>), and a body that contradicts <c>OC-Checksum</c> gets 400 with nothing stored
/// (<see cref="ContentChecksums"/>).
/// </summary>
internal sealed class PutHandler : IWriteHandler
{
    private const string ContentKey = "davit.put.content";
    private const string TimeKey = "davit.put.mtime";
    private const string HashingKey = "davit.put.hashing";
    private const string ChecksumKey = "davit.put.checksum";

    public int? StatusFor(StoreError error) => error == StoreError.AlreadyExists ? StatusCodes.Status412PreconditionFailed : null;

    public async ValueTask<DavResult?> PrepareAsync(DavRequest request)
    {
        var http = request.Request;
        if (request.Item is IFolder)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "PUT cannot replace a collection.");
        }

        // RFC 9110 §14.5: a server must refuse a Content-Range it does not apply, never store the segment as the
        // whole file. Resumable uploads take such requests before they get here.
        if (http.Headers.ContentRange.Count > 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Content-Range on PUT is not supported here (resumable uploads are off).");
        }

        // Read before the body, so that a bad one changes nothing.
        if (http.Headers[ClientTimes.Header] is { Count: > 0 } mtime)
        {
            request.StoreContext.Items[TimeKey] = ClientTimes.TryParse(mtime.ToString(), out var time) && mtime.Count == 1
                ? time
                : throw new DavException(StatusCodes.Status400BadRequest, $"{ClientTimes.Header} must be one Unix time in seconds.");
        }

        var overwrite = ReadOverwrite(http);
        if (request.Item is not null && !overwrite)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        if (request.Item is null)
        {
            await Parents.RequireAsync(request, request.Path);
        }

        var checksum = ContentChecksums.Read(http);
        var (body, expected) = Body(http);

        // Hashed on the way through when the client gave a checksum or the store can keep the hashes (a new file is
        // assumed to be able to: its store's files are known only once it exists).
        if (checksum is not null || request.Item is null or IContentHashes)
        {
            var hashing = new HashingStream(body, expected, checksum).Start();
            body = hashing;
            request.DisposeAtEnd(hashing);
            request.StoreContext.Items[HashingKey] = hashing;
            request.StoreContext.Items[ChecksumKey] = checksum;
        }

        try
        {
            request.StoreContext.Items[ContentKey] = await ContentWrites.StageAsync(request, request.Path, body, expected, http.ContentType);
        }
        catch (ContentChecksums.MismatchException) when (request.SessionStore is { } sessions)
        {
            // A large body went to an upload session (ContentWrites.StageAsync); bytes that are not what the client
            // meant are no upload to resume.
            if (await sessions.GetAsync(request.Path, request.Now, CancellationToken.None) is { } left)
            {
                await sessions.DeleteAsync(left, CancellationToken.None);
            }

            throw;
        }

        return null;
    }

    public async ValueTask<DavResult> ApplyAsync(DavRequest request)
    {
        if (request.Item is not null && !ReadOverwrite(request.Request))
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "Overwrite: F and the file exists.");
        }

        var content = (FileContent)request.StoreContext.Items[ContentKey]!;
        var conditional = ContentWrites.IsConditional(request.Request) || !ReadOverwrite(request.Request);
        var (file, created) = await ContentWrites.StoreAsync(request, request.Path, request.Item, content, conditional);
        if (request.StoreContext.Items.TryGetValue(TimeKey, out var mtime) && file is IModificationTime settable)
        {
            // In the same unit of work as the content: a time the store refuses fails the whole PUT.
            await settable.SetModifiedAsync((DateTimeOffset)mtime!, request.Aborted);
            request.Response.Headers[ClientTimes.AcceptedHeader] = "accepted";
        }

        if (request.StoreContext.Items.TryGetValue(HashingKey, out var stream) && stream is HashingStream hashing)
        {
            // A mismatch found only now (the store read the body itself) fails the unit of work: nothing stays.
            // The stream checked the checksum as the body ended; a store that stopped reading before the end cannot
            // have stored what the client sent.
            var hashes = hashing.Hashes;
            if (hashes is null && request.StoreContext.Items[ChecksumKey] is not null)
            {
                throw new DavException(StatusCodes.Status400BadRequest, $"The body could not be checked against {ContentChecksums.Header}.");
            }

            if (hashes is not null && file is IContentHashes keeper)
            {
                await keeper.SetContentHashesAsync(hashes, request.Aborted);
            }
        }

        return DavResult.Written(created ? StatusCodes.Status201Created : StatusCodes.Status204NoContent, file);
    }

    // Overwrite on PUT is not in RFC 4918, but IT Hit's browser client relies on it (Overwrite: F = create only).
    internal static bool ReadOverwrite(HttpRequest request) =>
        DavHeaders.TryParseOverwrite(request.Headers["Overwrite"], out var overwrite)
            ? overwrite
            : throw new DavException(StatusCodes.Status400BadRequest, "The Overwrite header must be T or F.");

    /// <summary>
    /// The body and its expected length. macOS Finder sends chunked bodies with X-Expected-Entity-Length instead of
    /// Content-Length; a body that then ends short fails with 400 and never leaves a truncated file behind.
    /// </summary>
    internal static (Stream Body, long? Expected) Body(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return (request.Body, length);
        }

        if (long.TryParse(request.Headers["X-Expected-Entity-Length"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expected))
        {
            return (new ExactLengthStream(request.Body, expected), expected);
        }

        return (request.Body, null);
    }
}
