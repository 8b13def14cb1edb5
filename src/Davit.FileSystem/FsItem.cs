using System.Xml.Linq;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>What files and folders share: their place on disk, their times, their dead properties, MOVE.</summary>
internal abstract class FsItem : IHierarchyItem, IDeadProperties
{
    protected FsItem(FileSystemStore store, DavPath path, string entryPath, string realPath)
    {
        Store = store;
        Path = path;
        EntryPath = entryPath;
        RealPath = realPath;
    }

    public string Name => Path.Name;

    public DavPath Path { get; }

    public abstract DateTimeOffset CreatedUtc { get; }

    public abstract DateTimeOffset ModifiedUtc { get; }

    /// <summary>The directory entry naming the item (a link itself when reached through one).</summary>
    internal string EntryPath { get; }

    /// <summary>Where the content is, links resolved.</summary>
    internal string RealPath { get; }

    internal FileSystemStore Store { get; }

    /// <summary>True when the entry is a symbolic link (to an item inside the root).</summary>
    internal bool IsLink => !string.Equals(EntryPath, RealPath, StringComparison.Ordinal);

    public abstract ValueTask CopyToAsync(IFolder destinationFolder, string destinationName, bool deep, MultistatusErrors errors, CancellationToken cancellationToken);

    public abstract ValueTask DeleteAsync(MultistatusErrors errors, CancellationToken cancellationToken);

    public async ValueTask MoveToAsync(IFolder destinationFolder, string destinationName, MultistatusErrors errors, CancellationToken cancellationToken)
    {
        if (Path.IsRoot)
        {
            throw new DavException(403, "The root cannot be moved.");
        }

        var (folder, entry) = Store.Destination(destinationFolder, destinationName, existsStatus: 412);
        var destination = folder.Path.Append(destinationName);
        try
        {
            EntryMover.Move(this, entry);
        }
        catch (IOException ex) when (IoErrors.IsCrossDevice(ex))
        {
            await MoveAcrossDevicesAsync(folder, destinationName, errors, cancellationToken);
            return;
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, $"Could not move '{Path}' to '{destination}'.");
        }

        await Store.Properties.MoveAsync(Path, destination, cancellationToken);
    }

    public ValueTask<IReadOnlyList<DeadProperty>> GetPropertiesAsync(IReadOnlyCollection<XName>? names, CancellationToken cancellationToken) =>
        Store.Properties.GetAsync(Path, names, cancellationToken);

    public ValueTask UpdatePropertiesAsync(IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken) =>
        Store.Properties.UpdateAsync(Path, updates, cancellationToken);

    /// <summary>A folder's subtree may span mounts; rename cannot cross them, so copy, and delete the source only
    /// when every member arrived.</summary>
    private async ValueTask MoveAcrossDevicesAsync(FsFolder folder, string name, MultistatusErrors errors, CancellationToken cancellationToken)
    {
        var before = errors.Errors.Count;
        await CopyToAsync(folder, name, deep: true, errors, cancellationToken);
        if (errors.Errors.Count == before)
        {
            await DeleteAsync(errors, cancellationToken);
        }
    }

    protected static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>The error for a modification time the file system refused; a time it cannot represent (before
    /// 1601 on Windows, for instance) is a 403 like a permission it lacks.</summary>
    protected DavException UnsettableTime(Exception exception, DateTimeOffset time) => exception is ArgumentOutOfRangeException
        ? new DavException(403, $"The modification time of '{Path}' cannot be {time:O}.", null, exception)
        : IoErrors.ToDav(exception, $"Could not set the modification time of '{Path}'.");
}
