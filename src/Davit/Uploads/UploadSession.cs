using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// An upload in progress: bytes that have arrived for a URL but are not yet its content. Protocol-neutral: the
/// same session serves a segmented PUT (Content-Range), an interrupted plain PUT, a multipart POST, and later tus
/// or the IETF resumable-upload protocol. Immutable; the session store returns a new value after every change.
/// </summary>
/// <param name="Id">The session's identifier, unique for all time (a store-chosen opaque string of [A-Za-z0-9-]).</param>
/// <param name="Path">The URL the content will be stored at when the upload completes.</param>
/// <param name="BytesSaved">How many bytes, from offset 0, are durably saved.</param>
/// <param name="TotalLength">The length the content will have, or null while unknown.</param>
/// <param name="ContentType">The Content-Type the client sent, or null.</param>
/// <param name="CreatedUtc">When the upload started.</param>
/// <param name="LastChunkSavedUtc">When bytes were last saved.</param>
/// <param name="ExpiresUtc">When the session may be reclaimed if nothing more arrives.</param>
public sealed record UploadSession(
    string Id,
    DavPath Path,
    long BytesSaved,
    long? TotalLength,
    string? ContentType,
    DateTimeOffset CreatedUtc,
    DateTimeOffset LastChunkSavedUtc,
    DateTimeOffset ExpiresUtc)
{
    /// <summary>True when every byte of a known total has been saved.</summary>
    public bool IsComplete => TotalLength is { } total && BytesSaved == total;
}
