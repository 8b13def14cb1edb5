namespace Davit.Storage;

/// <summary>
/// Optional capability of files: the hashes of the content, computed by the engine while the bytes of a PUT stream
/// through it and kept by the store beside the content, so that a listing never reads a file to hash it. The engine
/// serves them as <c>oc:checksums</c> (the ownCloud property rclone and the ownCloud and Nextcloud clients read) when
/// a PROPFIND names that property.
/// </summary>
/// <remarks>Without it, PROPFIND answers 404 for <c>oc:checksums</c> and clients compare sizes and times only. The
/// hashes describe one version of the content: a store must never return them for other content (a later write by
/// any way, COPY onto the file, an edit behind the server's back it can notice). Setting the modification time
/// (<see cref="IModificationTime"/>) keeps them.</remarks>
public interface IContentHashes
{
    /// <summary>The hashes recorded for the file's current content, or null when none were (content written by a
    /// resumable upload, or before the store kept hashes, or changed since).</summary>
    ValueTask<ContentHashes?> GetContentHashesAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="hashes"/> as those of the file's current content, which the request's unit of
    /// work has just written. Takes part in that unit of work: rolled back with it.</summary>
    ValueTask SetContentHashesAsync(ContentHashes hashes, CancellationToken cancellationToken);
}

/// <summary>Hashes of a file's content, each as lowercase hexadecimal.</summary>
/// <param name="Sha1">SHA-1 (40 digits).</param>
/// <param name="Md5">MD5 (32 digits).</param>
public sealed record ContentHashes(string Sha1, string Md5);
