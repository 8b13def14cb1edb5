using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// A store that serves a folder of the local file system: content stays plain files and directories under
/// <see cref="FileSystemStoreOptions.Root"/>, usable without the server; dead properties live in an embedded SQLite
/// database under <see cref="FileSystemStoreOptions.MetadataPath"/>.
/// </summary>
/// <remarks>
/// <para>Confinement: no path leads outside the root, and symbolic links are followed only when their final
/// target is inside the root; any other link is treated as absent. The metadata folder, when inside the root, is
/// never listed, resolved or creatable (403).</para>
/// <para>Writes are atomic: uploads are staged in the metadata folder, flushed to the disk, then renamed over the
/// target, so readers see the old content or the new, never a mix. Every write gives the file a modification time
/// later than the previous one, so the strong ETag (length and time) changes with every write. Files and folders
/// implement <see cref="IModificationTime"/>; a file's time is kept to the second, with a sub-second part chosen
/// by the store so that setting an earlier time does not bring back an earlier ETag.</para>
/// <para>Write locks are kept in the same database (see <see cref="Davit.Locking.ILockStore"/>), so they survive a
/// restart and are shared by every server process serving the same folder.</para>
/// <para>One instance serves all requests concurrently; dispose it to release the database.</para>
/// </remarks>
public sealed partial class FileSystemStore : IDavStore, IDisposable
{
    private readonly MetadataDatabase database;

    /// <summary>Opens (creating when missing) the root, the metadata folder and the database.</summary>
    /// <param name="options">Where content and metadata live.</param>
    /// <param name="timeProvider">The clock that stamps modification times; the system clock when null.</param>
    /// <exception cref="ArgumentException">The root is empty, or the metadata folder is the root or contains it.</exception>
    public FileSystemStore(FileSystemStoreOptions options, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        Layout = new StoreLayout(options);
        Staging = new StagingArea(Layout.StagingPath, time);
        Committer = new ContentCommitter(time);
        database = new MetadataDatabase(Layout.DatabasePath);
        Properties = new PropertyRepository(database);
        Locks = new LockRepository(database);
        Items = new ItemFactory(this, new PathResolver(Layout), Layout);
    }

    internal StoreLayout Layout { get; }

    internal StagingArea Staging { get; }

    internal ContentCommitter Committer { get; }

    internal PropertyRepository Properties { get; }

    internal LockRepository Locks { get; }

    internal ItemFactory Items { get; }

    /// <inheritdoc />
    public ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, DavRequestContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IHierarchyItem?>(Items.Find(path));
    }

    /// <summary>Releases the database connections.</summary>
    public void Dispose() => database.Dispose();

    /// <summary>Checks that <paramref name="name"/> in <paramref name="folder"/> may receive a new item and
    /// returns where its entry goes.</summary>
    /// <exception cref="DavException">403 for a name that must stay unreachable; <paramref name="existsStatus"/>
    /// when something is there already.</exception>
    internal (FsFolder Folder, string Entry) Destination(IFolder folder, string name, int existsStatus)
    {
        if (folder is not FsFolder target || !ReferenceEquals(target.Store, this))
        {
            throw new DavException(502, "The destination belongs to another store.");
        }

        var entry = Path.Join(target.RealPath, name);
        if (!PathResolver.IsValidName(name) || Layout.IsHidden(entry))
        {
            throw new DavException(403, $"'{name}' cannot be created in '{target.Path}'.");
        }

        if (EntryMover.IsLink(entry) && Items.Find(target.Path.Append(name)) is null)
        {
            throw new DavException(403, $"'{name}' in '{target.Path}' is a link that leads outside the store.");
        }

        if (EntryMover.Exists(entry))
        {
            throw new DavException(existsStatus, $"Something is already at '{target.Path.Append(name)}'.");
        }

        return (target, entry);
    }

    /// <summary>Renames <paramref name="staged"/> to the new item's entry, refusing to replace anything.</summary>
    internal void CommitNew(StagedFile staged, string entry, DavPath path, int existsStatus)
    {
        bool committed;
        try
        {
            committed = Committer.Commit(staged, entry, replace: false);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, $"Could not create '{path}'.");
        }

        if (!committed)
        {
            throw new DavException(existsStatus, $"Something appeared at '{path}' meanwhile.");
        }
    }
}
