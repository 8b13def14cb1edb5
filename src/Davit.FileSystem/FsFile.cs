using System.Globalization;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>A plain file under the root.</summary>
internal sealed class FsFile : FsItem, IFile, IModificationTime, IContentHashes
{
    private long length;
    private DateTime modified;
    private DateTime created;

    public FsFile(FileSystemStore store, DavPath path, string entryPath, FileInfo info, FsUnitOfWork? unit, Preloaded? preloaded = null)
        : base(store, path, entryPath, info.FullName, unit, preloaded)
    {
        Refresh(info);
    }

    public FsFile(FileSystemStore store, DavPath path, string entryPath, string realPath, Disk.EntryStat stat, FsUnitOfWork? unit, Preloaded? preloaded)
        : base(store, path, entryPath, realPath, unit, preloaded)
    {
        length = stat.Length;
        modified = stat.ModifiedUtc;
        created = CreatedTime(stat.CreatedUtc, modified);
    }

    private FsFile(FileSystemStore store, DavPath path, string entryPath, string realPath, CommittedContent committed, FsUnitOfWork? unit)
        : base(store, path, entryPath, realPath, unit, null)
    {
        Refresh(committed);
    }

    public override DateTimeOffset CreatedUtc => Utc(created);

    public override DateTimeOffset ModifiedUtc => Utc(modified);

    public string ContentType => ContentTypes.FromName(Name);

    public long ContentLength => length;

    // The committer gives every write a later time than the one before, and a time set by a client a sub-second part
    // of its own (ContentCommitter.SetTime), so length + time changes with the content.
    public string ETag => ETagOf(length, modified);

    /// <summary>The entity tag of a file of <paramref name="length"/> bytes written at <paramref name="modifiedUtc"/>.</summary>
    public static string ETagOf(long length, DateTime modifiedUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"{length:x}-{modifiedUtc.Ticks:x}");

    /// <summary>The file just committed at <paramref name="entry"/>, described by what was renamed there.</summary>
    public static FsFile Committed(FileSystemStore store, DavPath path, string entry, CommittedContent committed, FsUnitOfWork? unit) =>
        new(store, path, entry, entry, committed, unit);

    public ValueTask<IContentReader> OpenReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IContentReader>(FsContentReader.Open(RealPath, ContentType));
    }

    public async ValueTask WriteAsync(FileContent content, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var staged = await Store.StageAsync(content, Metadata, cancellationToken);
        try
        {
            Refresh(Store.Committer.Commit(staged.File, RealPath, replace: true, expectedETag, Unit));
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            throw IoErrors.ToStore(ex, $"Could not write '{Path}'.");
        }
        finally
        {
            staged.Dispose();
        }
    }

    public async ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var before = modified;
        var etag = ETag;
        try
        {
            Store.Committer.SetTime(RealPath, modifiedUtc.UtcDateTime);
            Unit?.OnRollback(() => File.SetLastWriteTimeUtc(RealPath, before));
            Refresh(new FileInfo(RealPath));
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex) || ex is ArgumentOutOfRangeException)
        {
            throw UnsettableTime(ex, modifiedUtc);
        }

        // The content is unchanged, so are its hashes: they move to the new entity tag.
        await HashRepository.RetagAsync(Metadata, Path, etag, ETag, cancellationToken);
    }

    public ValueTask<ContentHashes?> GetContentHashesAsync(CancellationToken cancellationToken) =>
        HashRepository.GetAsync(Metadata, Path, ETag, cancellationToken);

    public ValueTask SetContentHashesAsync(ContentHashes hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        return HashRepository.SetAsync(Metadata, Path, ETag, hashes, cancellationToken);
    }

    public override async ValueTask DeleteAsync(CancellationToken cancellationToken)
    {
        if (!EntryMover.Exists(EntryPath))
        {
            throw new StoreException(StoreError.NotFound, $"'{Path}' is gone.");
        }

        try
        {
            // To the trash rather than unlinked: a unit of work that is rolled back brings it back.
            Store.Discard(Store.Trash(EntryPath, Unit), Unit);
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            throw IoErrors.ToStore(ex, $"Could not delete '{Path}'.");
        }

        await PropertyRepository.DeleteAsync(Metadata, Path, [], cancellationToken);
    }

    private void Refresh(CommittedContent committed)
    {
        length = committed.Length;
        modified = committed.ModifiedUtc;
        created = CreatedTime(committed.CreatedUtc, modified);
    }

    private void Refresh(FileInfo info)
    {
        length = info.Length;
        modified = info.LastWriteTimeUtc;
        created = CreatedTime(info.CreationTimeUtc, modified);
    }
}
