using System.Runtime.CompilerServices;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// A directory under the root (or the root itself). It takes whole trees of the same store in one step: a move is a
/// rename, a copy is prepared in the staging folder and renamed into place, and whatever it replaces goes to the trash
/// until the unit of work is committed, so a failed copy or move never loses the destination.
/// </summary>
internal sealed class FsFolder : FsItem, IFolder, IModificationTime, IMoveTarget, ICopyTarget, ITreeDelete
{
    private DateTime modified;
    private DateTime created;

    public FsFolder(FileSystemStore store, DavPath path, string entryPath, DirectoryInfo info, FsUnitOfWork? unit, Preloaded? preloaded = null)
        : base(store, path, entryPath, info.FullName, unit, preloaded)
    {
        Refresh(info);
    }

    public FsFolder(FileSystemStore store, DavPath path, string entryPath, string realPath, Disk.EntryStat stat, FsUnitOfWork? unit, Preloaded? preloaded)
        : base(store, path, entryPath, realPath, unit, preloaded)
    {
        modified = stat.ModifiedUtc;
        created = CreatedTime(stat.CreatedUtc, modified);
    }

    public override DateTimeOffset CreatedUtc => Utc(created);

    public override DateTimeOffset ModifiedUtc => Utc(modified);

    public async IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(PropertySelection properties, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(RealPath))
        {
            throw new StoreException(StoreError.NotFound, $"'{Path}' has gone.");
        }

        var rows = properties.IsNone
            ? null
            : await PropertyRepository.GetMembersAsync(Metadata, Path, properties.IsAll ? null : properties.Names, cancellationToken);
        foreach (var child in Store.Items.Children(this, rows, properties, cancellationToken))
        {
            yield return child;
        }
    }

    // A folder has no ETag, so the time is set exactly as asked.
    public ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var before = modified;
        try
        {
            Directory.SetLastWriteTimeUtc(RealPath, modifiedUtc.UtcDateTime);
            Unit?.OnRollback(() => Directory.SetLastWriteTimeUtc(RealPath, before));
            Refresh(new DirectoryInfo(RealPath));
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex) || ex is ArgumentOutOfRangeException)
        {
            throw UnsettableTime(ex, modifiedUtc);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<IFile> CreateFileAsync(string name, FileContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (entry, _) = Store.Destination(this, name, replace: false);
        var path = Path.Append(name);
        var staged = await Store.StageAsync(content, Metadata, cancellationToken);
        try
        {
            // A new item starts bare, even where an item deleted behind the store's back left rows.
            await PropertyRepository.DeleteAsync(Metadata, path, [], cancellationToken);
            var committed = Store.Committer.Commit(staged.File, entry, replace: false, unit: Unit);
            Unit?.OnRollback(() => File.Delete(entry));
            return FsFile.Committed(Store, path, entry, committed, Unit);
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            throw IoErrors.ToStore(ex, $"Could not create '{path}'.");
        }
        finally
        {
            staged.Dispose();
        }
    }

    public async ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken)
    {
        var (entry, _) = Store.Destination(this, name, replace: false);
        var path = Path.Append(name);
        await PropertyRepository.DeleteAsync(Metadata, path, [], cancellationToken);
        var folder = new FsFolder(Store, path, entry, CreateDirectory(entry, path), Unit);
        Unit?.OnRollback(() => Directory.Delete(entry));
        return folder;
    }

    public override async ValueTask DeleteAsync(CancellationToken cancellationToken)
    {
        if (Path.IsRoot)
        {
            throw new StoreException(StoreError.Forbidden, "The root cannot be deleted.");
        }

        try
        {
            DeleteEntry();
        }
        catch (IOException ex) when (Directory.Exists(EntryPath) && !IsLink)
        {
            throw new StoreException(StoreError.Conflict, $"'{Path}' is not empty.", ex);
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            throw IoErrors.ToStore(ex, $"Could not delete '{Path}'.");
        }

        await PropertyRepository.DeleteAsync(Metadata, Path, [], cancellationToken);
    }

    public async ValueTask<bool> DeleteTreeAsync(TreeErrors errors, CancellationToken cancellationToken)
    {
        if (Path.IsRoot)
        {
            throw new StoreException(StoreError.Forbidden, "The root cannot be deleted.");
        }

        if (!EntryMover.Exists(EntryPath))
        {
            throw new StoreException(StoreError.NotFound, $"'{Path}' is gone.");
        }

        var before = errors.Count;
        if (IsLink)
        {
            await DeleteAsync(cancellationToken);
            return true;
        }

        // The whole tree goes to the trash in one rename, to come back if the unit of work is rolled back; its files
        // are deleted once it is committed. A tree holding the metadata folder, or one the trash cannot take (another
        // volume), is deleted entry by entry instead, reporting the members that stay.
        if (!StoreLayout.IsSameOrUnder(Store.Layout.MetadataPath, RealPath, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                Store.Discard(Store.Trash(EntryPath, Unit), Unit);
                await PropertyRepository.DeleteAsync(Metadata, Path, [], cancellationToken);
                return true;
            }
            catch (IOException ex) when (IoErrors.IsCrossDevice(ex))
            {
                // Falls through to the walk.
            }
        }

        new TreeDeleter(Store.Layout, errors).DeleteFolder(EntryPath, Path, cancellationToken);
        var survivors = SurvivorsOf(errors.Errors.Skip(before));
        await PropertyRepository.DeleteAsync(Metadata, Path, survivors, cancellationToken);
        return true;
    }

    public async ValueTask<bool> MoveIntoAsync(string name, IHierarchyItem source, bool replace, CancellationToken cancellationToken)
    {
        if (Store.Own(source) is not { } item)
        {
            return false;
        }

        if (item.Path.IsRoot)
        {
            throw new StoreException(StoreError.Forbidden, "The root cannot be moved.");
        }

        var (entry, exists) = Store.Destination(this, name, replace);
        var destination = Path.Append(name);
        var trashed = exists ? Store.Trash(entry, Unit) : null;
        try
        {
            Unit?.Renaming(item.EntryPath, entry);
            EntryMover.Move(item, entry);
        }
        catch (IOException ex) when (IoErrors.IsCrossDevice(ex))
        {
            // A subtree on another mount: the engine copies and deletes instead.
            Restore(trashed, entry);
            return false;
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            Restore(trashed, entry);
            throw IoErrors.ToStore(ex, $"Could not move '{item.Path}' to '{destination}'.");
        }

        Unit?.OnRollback(() => EntryMover.Rename(entry, item.EntryPath));
        Store.Discard(trashed, Unit);
        await PropertyRepository.MoveAsync(Metadata, item.Path, destination, cancellationToken);
        return true;
    }

    public async ValueTask<bool> CopyIntoAsync(string name, IHierarchyItem source, bool deep, bool replace, TreeErrors errors, CancellationToken cancellationToken)
    {
        if (Store.Own(source) is not { } item)
        {
            return false;
        }

        var (entry, exists) = Store.Destination(this, name, replace);
        var destination = Path.Append(name);

        // The copy is made in full in the staging folder before anything at the destination is touched.
        var prepared = Store.Staging.ReserveFolder();
        try
        {
            if (item is FsFolder folder)
            {
                Directory.CreateDirectory(prepared);
                if (deep)
                {
                    new TreeCopier(Store, errors, destination, prepared, entry).CopyMembers(folder, prepared, cancellationToken);
                }
            }
            else
            {
                StagedFile.CopyFile(item.RealPath, prepared, Store.Committer);
            }
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            StagingArea.Purge(prepared);
            throw IoErrors.ToStore(ex, $"Could not copy '{item.Path}' to '{destination}'.");
        }

        var trashed = exists ? Store.Trash(entry, Unit) : null;
        try
        {
            Unit?.Renaming(prepared, entry);
            EntryMover.Rename(prepared, entry);
            DirectoryFlush.FlushParent(entry);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            StagingArea.Purge(prepared);
            Restore(trashed, entry);
            throw IoErrors.HasOutcome(ex) ? IoErrors.ToStore(ex, $"Could not copy '{item.Path}' to '{destination}'.") : ex;
        }

        Unit?.OnRollback(() => StagingArea.Purge(entry));
        Store.Discard(trashed, Unit);

        // One statement for the rows of the whole tree; a member that failed to copy leaves rows without an item,
        // which nobody sees and the next item created there clears.
        await PropertyRepository.CopyAsync(Metadata, item.Path, destination, deep, cancellationToken);
        return true;
    }

    private void Restore(string? trashed, string entry)
    {
        if (trashed is not null)
        {
            EntryMover.Rename(trashed, entry);
        }
    }

    private void DeleteEntry()
    {
        if (IsLink && !OperatingSystem.IsWindows())
        {
            File.Delete(EntryPath);
        }
        else
        {
            Directory.Delete(EntryPath);
        }
    }

    // A member that stayed keeps its properties, and so do the folders that still hold it.
    private HashSet<DavPath> SurvivorsOf(IEnumerable<TreeError> failures)
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
        created = CreatedTime(info.CreationTimeUtc, modified);
    }

    private DirectoryInfo CreateDirectory(string entry, DavPath path)
    {
        DirectoryInfo created;
        try
        {
            // CreateDirectory succeeds when a folder is already there; only a concurrent MKCOL can get here.
            created = Directory.CreateDirectory(entry);
        }
        catch (IOException ex) when (EntryMover.Exists(entry))
        {
            throw new StoreException(StoreError.AlreadyExists, $"Something is already at '{path}'.", ex);
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            throw IoErrors.ToStore(ex, $"Could not create '{path}'.");
        }

        if (Unit is not null)
        {
            Unit.FlushOnCommit(DirectoryFlush.ParentOf(entry), namesAFolder: true);
            return created;
        }

        try
        {
            DirectoryFlush.FlushParent(entry);
        }
        catch (IOException ex) when (IoErrors.HasOutcome(ex))
        {
            throw IoErrors.ToStore(ex, $"Created '{path}' but could not flush its parent folder to the disk.");
        }

        return created;
    }
}
