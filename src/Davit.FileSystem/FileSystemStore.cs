using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// A store that serves a folder of the local file system: content stays plain files and directories under
/// <see cref="FileSystemStoreOptions.Root"/>, usable without the server; dead properties, write locks and the
/// records of uploads in progress live in an embedded SQLite database under <see cref="FileSystemStoreOptions.MetadataPath"/>.
/// </summary>
/// <remarks>
/// <para>Confinement: no path leads outside the root, and symbolic links are followed only when their final
/// target is inside the root; any other link is treated as absent. The metadata folder, when inside the root, is
/// never listed, resolved or creatable.</para>
/// <para>Writes: a write unit of work holds the database's write transaction from begin to end, so the writes of
/// every process serving the same folder, and their lock changes, run one after another; request bodies are staged
/// before it begins. Content is staged in the metadata folder, flushed to the disk, then renamed over the target, so
/// readers see the old content or the new, never a mix; a finished upload is renamed into place, never copied again.
/// Every write gives the file a modification time later than the previous one, so the strong ETag (length and time)
/// changes with every write. Files and folders implement <see cref="IModificationTime"/>; a file's time is kept to the
/// second, with a sub-second part chosen by the store so that setting an earlier time does not bring back an earlier
/// ETag.</para>
/// <para>State reaches every process on this machine that opens the same folder (<see cref="StateScope.Host"/>).
/// One instance serves all requests concurrently; dispose it to release the database.</para>
/// </remarks>
public sealed partial class FileSystemStore : IDavStore, IContentStaging, IStateScope, IDisposable
{
    /// <summary>Opens (creating when missing) the root, the metadata folder and the database.</summary>
    /// <param name="options">Where content and metadata live.</param>
    /// <param name="timeProvider">The clock that stamps modification times; the system clock when null.</param>
    /// <exception cref="ArgumentException">The root is empty, or the metadata folder is the root or contains it.</exception>
    public FileSystemStore(FileSystemStoreOptions options, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        Layout = new StoreLayout(options);
        Staging = new StagingArea(Layout, time);
        Journal = new UndoJournal(Layout);
        Committer = new ContentCommitter(time);
        Database = new MetadataDatabase(Layout.DatabasePath);
        Locks = new LockRepository(Database);
        var resolver = new PathResolver(Layout);
        Items = new ItemFactory(this, resolver, Layout);
        Recover();
        Uploads = new FsUploads(Layout.UploadsPath, Database, resolver, time);
    }

    // What a killed process left: its unfinished units of work are undone, then its staging and trash go.
    private void Recover()
    {
        var writer = Database.BeginWriteAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        try
        {
            Journal.Replay(writer.Connection, writer.Transaction);
            Staging.ReclaimEnded();
            writer.CommitAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public StateScope Scope => StateScope.Host;

    internal StoreLayout Layout { get; }

    internal StagingArea Staging { get; }

    internal UndoJournal Journal { get; }

    internal ContentCommitter Committer { get; }

    /// <summary>Folder flushes shared by the writers of this instance (group commit); tests may replace it to watch
    /// or hold up the flushes.</summary>
    internal Disk.FolderFlushes FolderFlushes { get; set; } = new();

    internal MetadataDatabase Database { get; }

    internal LockRepository Locks { get; }

    internal ItemFactory Items { get; }

    internal FsUploads Uploads { get; }

    /// <inheritdoc />
    public async ValueTask<IUnitOfWork> BeginAsync(StoreContext context, UnitOfWorkMode mode, CancellationToken cancellationToken) =>
        mode == UnitOfWorkMode.Write ? await FsUnitOfWork.BeginAsync(this, cancellationToken) : new FsReadScope(this);

    /// <inheritdoc />
    public ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, StoreContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IHierarchyItem?>(Items.Find(path, context.UnitOfWork as FsUnitOfWork, context.UnitOfWork as FsReadScope));
    }

    /// <inheritdoc />
    public async ValueTask<IStagedContent> StageAsync(Stream data, long? expectedLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var staged = Staging.Reserve();
        try
        {
            return new FsStaged(staged, await staged.WriteAsync(data, Committer, cancellationToken));
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>Releases the database connections and removes this instance's staging and trash folders.</summary>
    public void Dispose()
    {
        Staging.Close(purge: !Journal.HasPending);
        Database.Dispose();
    }

    /// <summary>True when <paramref name="other"/> serves the same folder with the same metadata (another instance,
    /// as another process would be).</summary>
    internal bool SharesStorageWith(FileSystemStore other) =>
        string.Equals(other.Layout.MetadataPath, Layout.MetadataPath, StringComparison.Ordinal);

    /// <summary>The item of this store (or of another instance over the same folder), or null.</summary>
    internal FsItem? Own(IHierarchyItem item) => item is FsItem own && SharesStorageWith(own.Store) ? own : null;

    /// <summary>
    /// A staged file holding <paramref name="content"/>, ready to be renamed into place: bytes this store staged are
    /// taken as they are, a finished upload of this store is moved over (its record removed in
    /// <paramref name="metadata"/>'s transaction), anything else is read into a new staged file. Dispose the result:
    /// unless it was committed, that deletes what this call made (staged bytes taken over stay their owner's).
    /// </summary>
    internal async ValueTask<Staged> StageAsync(FileContent content, IMetadata metadata, CancellationToken cancellationToken)
    {
        if (content.Staged is FsStaged own && Staging.Owns(own.File) && !own.File.IsCommitted)
        {
            return new Staged(own.File, Owned: false);
        }

        if (content.Session is { } session && content.Sessions is FileSystemStore or FsUnitOfWork
            && await TakeSessionAsync(content, session, metadata, cancellationToken) is { } taken)
        {
            return new Staged(taken, Owned: true);
        }

        var staged = Staging.Reserve();
        try
        {
            await using var stream = await content.OpenReadAsync(cancellationToken);
            await staged.WriteAsync(stream, Committer, cancellationToken);
            return new Staged(staged, Owned: true);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>Checks that <paramref name="name"/> in <paramref name="folder"/> may receive an item and returns
    /// where its entry goes, and whether something is there now.</summary>
    /// <exception cref="StoreException"><see cref="StoreError.Forbidden"/> for a name that must stay unreachable;
    /// <see cref="StoreError.NameNotSupported"/> for one the file system cannot hold;
    /// <see cref="StoreError.AlreadyExists"/> when something is there and <paramref name="replace"/> is false.</exception>
    internal (string Entry, bool Exists) Destination(FsFolder folder, string name, bool replace)
    {
        var entry = Path.Join(folder.RealPath, name);
        if (!PathResolver.IsValidName(name))
        {
            throw new StoreException(StoreError.NameNotSupported, $"'{name}' cannot be a name in this store.");
        }

        if (PathResolver.IsTooLong(entry, name))
        {
            throw new StoreException(StoreError.NameTooLong, $"A name of {System.Text.Encoding.UTF8.GetByteCount(name)} bytes, or a path of {System.Text.Encoding.UTF8.GetByteCount(entry)}, is longer than the file system holds.");
        }

        if (Layout.IsHidden(entry))
        {
            throw new StoreException(StoreError.Forbidden, $"'{name}' cannot be created in '{folder.Path}'.");
        }

        // One look at the entry for both questions (every create asks them).
        var attributes = new FileInfo(entry).Attributes;
        var exists = (int)attributes != -1;
        if (exists && (attributes & FileAttributes.ReparsePoint) != 0 && Items.Find(folder.Path.Append(name), null) is null)
        {
            throw new StoreException(StoreError.Forbidden, $"'{name}' in '{folder.Path}' is a link that leads outside the store.");
        }

        if (exists && !replace)
        {
            throw new StoreException(StoreError.AlreadyExists, $"Something is already at '{folder.Path.Append(name)}'.");
        }

        return (entry, exists);
    }

    /// <summary>Moves what is at <paramref name="entry"/> to the trash, to come back if <paramref name="unit"/> is
    /// rolled back; returns where it went.</summary>
    internal string Trash(string entry, FsUnitOfWork? unit)
    {
        var trashed = Staging.ReserveTrash();
        unit?.Renaming(entry, trashed);
        EntryMover.Rename(entry, trashed);
        unit?.OnRollback(() => EntryMover.Rename(trashed, entry));
        return trashed;
    }

    /// <summary>Deletes what <see cref="Trash"/> moved away, once <paramref name="unit"/> is committed (at once without one).</summary>
    internal void Discard(string? trashed, FsUnitOfWork? unit)
    {
        if (trashed is null)
        {
            return;
        }

        if (unit is null)
        {
            StagingArea.Purge(trashed);
        }
        else
        {
            unit.OnCommit(() => StagingArea.Purge(trashed));
        }
    }

    private async ValueTask<StagedFile?> TakeSessionAsync(FileContent content, Uploads.UploadSession session, IMetadata metadata, CancellationToken cancellationToken)
    {
        var owner = content.Sessions switch
        {
            FileSystemStore store => store,
            FsUnitOfWork unit => unit.Store,
            _ => null,
        };
        return owner is not null && SharesStorageWith(owner)
            ? await Uploads.TryTakeAsync(metadata, Staging, session, cancellationToken)
            : null;
    }

    /// <summary>A staged file to commit, and whether disposing it is this write's business.</summary>
    internal readonly record struct Staged(StagedFile File, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned)
            {
                File.Dispose();
            }
        }
    }
}
