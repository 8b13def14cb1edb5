namespace Davit.Uploads;

/// <summary>
/// An upload in progress as IT Hit's clients see it: what the upload-progress REPORT answers and what
/// CANCELUPLOAD cancels. The engine provides it for every store from its upload sessions; a store that does
/// uploads its own way can implement it (and <see cref="IUploadProgress"/>) on its items instead.
/// </summary>
public interface IResumableUpload
{
    /// <summary>The URL path the upload will be stored at.</summary>
    Storage.DavPath Path { get; }

    /// <summary>Bytes durably saved so far (ithit:bytes-uploaded).</summary>
    long BytesUploaded { get; }

    /// <summary>The total length, or null while unknown (ithit:total-content-length).</summary>
    long? TotalContentLength { get; }

    /// <summary>When bytes were last saved (ithit:last-chunk-saved).</summary>
    DateTimeOffset LastChunkSavedUtc { get; }

    /// <summary>Discards the upload and its bytes; the URL keeps its previous content, or stays unmapped.</summary>
    ValueTask CancelUploadAsync(CancellationToken cancellationToken);
}

/// <summary>Optional capability of an item: the uploads in progress at it (a file) or below it (a folder).</summary>
public interface IUploadProgress
{
    /// <summary>The uploads in progress at or below this item.</summary>
    ValueTask<IReadOnlyList<IResumableUpload>> GetUploadProgressAsync(CancellationToken cancellationToken);
}
