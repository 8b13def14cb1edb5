namespace Davit.Storage.Memory;

/// <summary>
/// A file of the in-memory store as one request sees it: the content version it was resolved with describes it, and
/// <see cref="OpenReadAsync"/> pins the version current at that moment, so the headers a GET sends (length, entity
/// tag) always describe the bytes it then reads, whatever other requests write.
/// </summary>
internal sealed class MemoryFile : MemoryItem, IFile, IModificationTime, IContentHashes
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

    public ValueTask<IContentReader> OpenReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            return ValueTask.FromResult<IContentReader>(new Reader(file.Version, ContentTypes.FromName(Name)));
        }
    }

    public async ValueTask WriteAsync(FileContent content, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        lock (Store.Gate)
        {
            // Refuse before reading a body that would be thrown away; checked again below.
            Check(expectedETag);
        }

        var bytes = await Store.TakeAsync(content, cancellationToken);
        lock (Store.Gate)
        {
            Check(expectedETag);
            version = new MemoryFileVersion(bytes, Store.State.NextETag(), content.ContentType, Store.Clock.GetUtcNow());
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

    public ValueTask<ContentHashes?> GetContentHashesAsync(CancellationToken cancellationToken) => ValueTask.FromResult(version.Hashes);

    public ValueTask SetContentHashesAsync(ContentHashes hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        lock (Store.Gate)
        {
            EnsureNotDeleted();

            // Only onto the version this item wrote: hashes belong to bytes, never to whatever is there now.
            if (ReferenceEquals(file.Version, version))
            {
                version = version with { Hashes = hashes };
                file.Version = version;
            }
        }

        return ValueTask.CompletedTask;
    }

    // Called under the lock.
    private void Check(string? expectedETag)
    {
        EnsureNotDeleted();
        if (expectedETag is not null && !string.Equals(file.Version.ETag, expectedETag, StringComparison.Ordinal))
        {
            throw new StoreException(StoreError.ChangedMeanwhile, $"'{Path}' is no longer the version {expectedETag}.");
        }
    }

    private sealed class Reader(MemoryFileVersion version, string typeFromName) : IContentReader
    {
        public long Length => version.Bytes.Length;

        public string ETag => version.ETag;

        public DateTimeOffset ModifiedUtc => version.ModifiedUtc;

        public string ContentType => version.ContentType ?? typeFromName;

        public ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken) =>
            version.Bytes.WriteToAsync(output, offset, count, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
