using System.Xml.Linq;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>A directory under the root (or the root itself).</summary>
internal sealed class FsFolder : FsItem, IFolder, IModificationTime, IAdoptFile
{
    private DateTime modified;
    private DateTime created;

    public FsFolder(FileSystemStore store, DavPath path, string entryPath, DirectoryInfo info)
        : base(store, path, entryPath, info.FullName)
    {
        Refresh(info);
    }

    public override DateTimeOffset CreatedUtc => Utc(created);

    public override DateTimeOffset ModifiedUtc => Utc(modified);

    public IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(IReadOnlyCollection<XName> requestedProperties, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(RealPath))
        {
            throw new DavException(404, $"'{Path}' has gone.");
        }

        return Store.Items.Children(this, cancellationToken).ToAsyncEnumerable();
    }

    // A folder has no ETag, so the time is set exactly as asked.
    public ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Directory.SetLastWriteTimeUtc(RealPath, modifiedUtc.UtcDateTime);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex) || ex is ArgumentOutOfRangeException)
        {
            throw UnsettableTime(ex, modifiedUtc);
        }

        Refresh(new DirectoryInfo(RealPath));
        return ValueTask.CompletedTask;
    }

    public async ValueTask<IFile> CreateFileAsync(string name, Stream content, string? contentType, long totalLength, CancellationToken cancellationToken)
    {
        var (_, entry) = Store.Destination(this, name, existsStatus: 405);
        var path = Path.Append(name);
        using var staged = Store.Staging.Reserve();
        await staged.WriteAsync(content, null, 0, cancellationToken);
        // A new item starts bare, even where an item deleted behind the store's back left rows.
        await Store.Properties.DeleteAsync(path, [], cancellationToken);
        Store.CommitNew(staged, entry, path, existsStatus: 405);
        return new FsFile(Store, path, entry, new FileInfo(entry));
    }

    public async ValueTask<bool> TryAdoptAsync(string name, string physicalPath, string? contentType, CancellationToken cancellationToken)
    {
        var (_, entry) = Store.Destination(this, name, existsStatus: 405);
        var path = Path.Append(name);
        await Store.Properties.DeleteAsync(path, [], cancellationToken);
        return FileAdoption.TryAdopt(Store.Staging, physicalPath, staged => Store.CommitNew(staged, entry, path, existsStatus: 405));
    }

    public async ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken)
    {
        var (_, entry) = Store.Destination(this, name, existsStatus: 405);
        var path = Path.Append(name);
        await Store.Properties.DeleteAsync(path, [], cancellationToken);
        return new FsFolder(Store, path, entry, CreateDirectory(entry, path, existsStatus: 405));
    }

    public override async ValueTask CopyToAsync(IFolder destinationFolder, string destinationName, bool deep, MultistatusErrors errors, CancellationToken cancellationToken)
    {
        var (folder, entry) = Store.Destination(destinationFolder, destinationName, existsStatus: 412);
        var destination = folder.Path.Append(destinationName);
        // One statement for the rows of the whole tree; a member that then fails to copy leaves rows without an
        // item, which nobody sees and the next item created there clears.
        await Store.Properties.CopyAsync(Path, destination, deep, cancellationToken);
        var copy = CreateCopy(entry, destination);
        if (deep)
        {
            new TreeCopier(errors, copy.RealPath).CopyMembers(this, copy, [RealPath], cancellationToken);
        }
    }

    /// <summary>Creates the folder that receives a copy of this one, at the new entry <paramref name="entry"/>.</summary>
    internal FsFolder CreateCopy(string entry, DavPath destination) =>
        new(Store, destination, entry, CreateDirectory(entry, destination, existsStatus: 412));

    public override async ValueTask DeleteAsync(MultistatusErrors errors, CancellationToken cancellationToken)
    {
        if (Path.IsRoot)
        {
            throw new DavException(403, "The root cannot be deleted.");
        }

        var before = errors.Errors.Count;
        if (IsLink)
        {
            DeleteLink();
        }
        else
        {
            new TreeDeleter(Store.Layout, errors).DeleteFolder(EntryPath, Path, cancellationToken);
        }

        var survivors = SurvivorsOf(errors.Errors.Skip(before));
        await Store.Properties.DeleteAsync(Path, survivors, cancellationToken);
    }

    private void DeleteLink()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.Delete(EntryPath);
            }
            else
            {
                File.Delete(EntryPath);
            }
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, $"Could not delete '{Path}'.");
        }
    }

    // A member that stayed keeps its properties, and so do the folders that still hold it.
    private HashSet<DavPath> SurvivorsOf(IEnumerable<MemberError> failures)
    {
        var survivors = new HashSet<DavPath>();
        foreach (var failure in failures)
        {
            var path = failure.Path;
            while (path.IsSameOrDescendantOf(Path) && survivors.Add(path) && path != Path)
            {
                path = path.Parent;
            }
        }

        return survivors;
    }

    private void Refresh(DirectoryInfo info)
    {
        modified = info.LastWriteTimeUtc;
        var birth = info.CreationTimeUtc;
        // Where the file system keeps no creation time, or the clock was set back, nothing predates its last change.
        created = birth <= DateTime.UnixEpoch || birth > modified ? modified : birth;
    }

    private static DirectoryInfo CreateDirectory(string entry, DavPath path, int existsStatus)
    {
        DirectoryInfo created;
        try
        {
            // CreateDirectory succeeds when a folder is already there; only a concurrent MKCOL can get here.
            created = Directory.CreateDirectory(entry);
        }
        catch (IOException ex) when (EntryMover.Exists(entry))
        {
            throw new DavException(existsStatus, $"Something is already at '{path}'.", null, ex);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, $"Could not create '{path}'.");
        }

        try
        {
            DirectoryFlush.FlushParent(entry);
        }
        catch (IOException ex)
        {
            throw IoErrors.ToDav(ex, $"Created '{path}' but could not flush its parent folder to the disk.");
        }

        return created;
    }
}
