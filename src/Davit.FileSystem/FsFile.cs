using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>A plain file under the root.</summary>
internal sealed class FsFile : FsItem, IFile, IPhysicalFile, IModificationTime, IAdoptFile
{
    private long length;
    private DateTime modified;
    private DateTime created;

    public FsFile(FileSystemStore store, DavPath path, string entryPath, FileInfo info)
        : base(store, path, entryPath, info.FullName)
    {
        Refresh(info);
    }

    public override DateTimeOffset CreatedUtc => Utc(created);

    public override DateTimeOffset ModifiedUtc => Utc(modified);

    public string ContentType => ContentTypes.FromName(Name);

    public long ContentLength => length;

    // The committer gives every write a later time than the one before, and a time set by a client a sub-second part
    // of its own (ContentCommitter.SetTime), so length + time changes with the content.
    public string ETag => $"{length:x}-{modified.Ticks:x}";

    public string? PhysicalPath => RealPath;

    public async ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken)
    {
        FileStream input;
        try
        {
            // Share.Delete: an upload may rename a new version over this one meanwhile; this read keeps the old.
            input = new FileStream(RealPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DavException(404, $"'{Path}' has gone.", null, ex);
        }

        await using (input)
        {
            input.Seek(offset, SeekOrigin.Begin);
            await PooledCopy.RangeAsync(input, output, count, cancellationToken);
        }
    }

    public async ValueTask WriteAsync(Stream content, string? contentType, long startIndex, long totalLength, CancellationToken cancellationToken)
    {
        var current = new FileInfo(RealPath);
        if (startIndex < 0)
        {
            throw new DavException(400, "The start index is negative.");
        }

        if (startIndex > 0 && (!current.Exists || startIndex > current.Length))
        {
            throw new DavException(412, $"Cannot write '{Path}' from byte {startIndex}: the content is shorter.");
        }

        using var staged = Store.Staging.Reserve();
        // Not wrapped: a failing request body (the client went away) must reach the engine as it is.
        await staged.WriteAsync(content, startIndex > 0 ? RealPath : null, startIndex, cancellationToken);
        try
        {
            Store.Committer.Commit(staged, RealPath, replace: true);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, $"Could not write '{Path}'.");
        }

        Refresh(new FileInfo(RealPath));
    }

    public ValueTask<bool> TryAdoptAsync(string name, string physicalPath, string? contentType, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var adopted = FileAdoption.TryAdopt(Store.Staging, physicalPath, staged =>
        {
            try
            {
                Store.Committer.Commit(staged, RealPath, replace: true);
            }
            catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
            {
                throw IoErrors.ToDav(ex, $"Could not write '{Path}'.");
            }
        });
        if (adopted)
        {
            Refresh(new FileInfo(RealPath));
        }

        return ValueTask.FromResult(adopted);
    }

    public ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Store.Committer.SetTime(RealPath, modifiedUtc.UtcDateTime);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex) || ex is ArgumentOutOfRangeException)
        {
            throw UnsettableTime(ex, modifiedUtc);
        }

        Refresh(new FileInfo(RealPath));
        return ValueTask.CompletedTask;
    }

    public override async ValueTask CopyToAsync(IFolder destinationFolder, string destinationName, bool deep, MultistatusErrors errors, CancellationToken cancellationToken)
    {
        var (folder, entry) = Store.Destination(destinationFolder, destinationName, existsStatus: 412);
        var destination = folder.Path.Append(destinationName);
        // Rows first: until the file appears nobody can PROPPATCH the destination and race with the copy.
        await Store.Properties.CopyAsync(Path, destination, deep: false, cancellationToken);
        CopyContent(entry, destination);
    }

    /// <summary>Copies the bytes (not the properties) to the new entry <paramref name="entry"/>.</summary>
    internal void CopyContent(string entry, DavPath destination)
    {
        using var staged = Store.Staging.Reserve();
        try
        {
            staged.CopyFrom(RealPath);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, $"Could not copy '{Path}' to '{destination}'.");
        }

        Store.CommitNew(staged, entry, destination, existsStatus: 412);
    }

    public override async ValueTask DeleteAsync(MultistatusErrors errors, CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(EntryPath);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, $"Could not delete '{Path}'.");
        }

        await Store.Properties.DeleteAsync(Path, [], cancellationToken);
    }

    private void Refresh(FileInfo info)
    {
        length = info.Length;
        modified = info.LastWriteTimeUtc;
        var birth = info.CreationTimeUtc;
        // Where the file system keeps no creation time, or the clock was set back, nothing predates its last change.
        created = birth <= DateTime.UnixEpoch || birth > modified ? modified : birth;
    }
}
