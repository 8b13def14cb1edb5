namespace Davit.Storage.Memory;

/// <summary>
/// A file of the in-memory store as one request sees it. It keeps the content version it was resolved with, so the
/// headers a GET sends (length, entity tag) always describe the bytes it then reads, whatever other requests write.
/// </summary>
internal sealed class MemoryFile : MemoryItem, IFile, IModificationTime
{
    private readonly MemoryFileNode file;
    private MemoryFileVersion version;

    public MemoryFile(InMemoryStore store, MemoryFileNode file, DavPath path)
        : base(store, file, path)
    {
        this.file = file;
        version = file.Version;
    }

    public string ContentType => version.ContentType ?? ContentTypes.FromName(Name);

    public long ContentLength => version.Bytes.Length;

    public string ETag => version.ETag;

    public override DateTimeOffset ModifiedUtc => version.ModifiedUtc;

    public ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken) =>
        version.Bytes.WriteToAsync(output, offset, count, cancellationToken);

    public async ValueTask WriteAsync(Stream content, string? contentType, long startIndex, long totalLength, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);

        // Refuse a missing piece before reading a body that would be thrown away; checked again below.
        lock (Store.Gate)
        {
            CheckStartIndex(startIndex, file.Version);
        }

        var written = await MemoryBytes.ReadAsync(content, cancellationToken);
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            var current = file.Version;
            CheckStartIndex(startIndex, current);
            var bytes = startIndex == 0 ? written : current.Bytes.Splice(startIndex, written);

            // A partial write without a type keeps the one the file has; a whole new body without one goes back to
            // the type derived from the name.
            var type = contentType ?? (startIndex == 0 ? null : current.ContentType);
            version = new MemoryFileVersion(bytes, Store.NextETag(), type, Store.Clock.GetUtcNow());
            file.Version = version;
        }
    }

    public ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Store.Gate)
        {
            EnsureNotDeleted();

            // The entity tag stays: it names this version's bytes, which are unchanged, and no other version of any
            // file can have it, so setting the time back cannot make an old tag match different content. Keeping it
            // also keeps a client's If-Match valid across the PROPPATCH Windows sends after every upload.
            version = file.Version with { ModifiedUtc = modifiedUtc.ToUniversalTime() };
            file.Version = version;
        }

        return ValueTask.CompletedTask;
    }

    private void CheckStartIndex(long startIndex, MemoryFileVersion against)
    {
        if (startIndex > against.Bytes.Length)
        {
            throw new DavException(412, $"'{Path}' has {against.Bytes.Length} bytes; a write cannot start at {startIndex}.");
        }
    }
}
