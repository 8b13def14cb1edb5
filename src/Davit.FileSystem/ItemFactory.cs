using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>Turns paths and directory entries into items, skipping whatever must stay unreachable.</summary>
internal sealed class ItemFactory(FileSystemStore store, PathResolver resolver, StoreLayout layout)
{
    /// <summary>The item at <paramref name="path"/>, or null when nothing (reachable) is there; resolved in a write
    /// unit of work, or in a reading request's scope, or neither.</summary>
    public FsItem? Find(DavPath path, FsUnitOfWork? unit, FsReadScope? reads = null) =>
        resolver.Resolve(path) is { } location ? Create(path, location, unit, null, reads) : null;

    /// <summary>The members of <paramref name="folder"/>, read from the disk as they are enumerated, each with the
    /// dead properties in <paramref name="rows"/> (by member name) when a listing fetched them.</summary>
    public IEnumerable<FsItem> Children(FsFolder folder, Dictionary<string, List<DeadProperty>>? rows, PropertySelection selection, CancellationToken cancellationToken)
    {
        foreach (var entry in Listing.Entries(folder.RealPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var preloaded = rows is null ? null : new Preloaded(rows.GetValueOrDefault(entry.Name) ?? [], selection);
            if (Child(folder, entry, preloaded) is { } item)
            {
                yield return item;
            }
        }
    }

    private FsItem? Child(FsFolder folder, FileSystemInfo entry, Preloaded? preloaded)
    {
        // An entry that is not there by its name was deleted meanwhile, or has a name that is not UTF-8 (.NET reads
        // U+FFFD for the bytes that are not, which names nothing on disk).
        if (!PathResolver.IsValidName(entry.Name) || layout.IsHidden(entry.FullName) || !entry.Exists)
        {
            return null;
        }

        var path = folder.Path.Append(entry.Name);
        if (Listing.IsLink(entry))
        {
            // A link is judged by where it finally leads, exactly as when it is addressed directly.
            return resolver.ResolveEntry(folder.RealPath, entry.Name) is { } location ? Create(path, location, folder.Unit, preloaded, folder.Reads) : null;
        }

        return Guarded(() => entry is DirectoryInfo directory
            ? new FsFolder(store, path, directory.FullName, directory, folder.Unit, preloaded) { Reads = folder.Reads }
            : new FsFile(store, path, entry.FullName, (FileInfo)entry, folder.Unit, preloaded) { Reads = folder.Reads });
    }

    private FsItem? Create(DavPath path, Location location, FsUnitOfWork? unit, Preloaded? preloaded, FsReadScope? reads) => location switch
    {
        { Stat: { IsFolder: true } stat } => new FsFolder(store, path, location.EntryPath, location.RealPath, stat, unit, preloaded) { Reads = reads },
        { Stat: { } stat } => new FsFile(store, path, location.EntryPath, location.RealPath, stat, unit, preloaded) { Reads = reads },
        _ => CreateAfterLook(path, location, unit, preloaded, reads),
    };

    private FsItem? CreateAfterLook(DavPath path, Location location, FsUnitOfWork? unit, Preloaded? preloaded, FsReadScope? reads) => location.Kind switch
    {
        EntryKind.Folder => Guarded(() => new FsFolder(store, path, location.EntryPath, new DirectoryInfo(location.RealPath), unit, preloaded) { Reads = reads }),
        EntryKind.File => Guarded(() => new FsFile(store, path, location.EntryPath, new FileInfo(location.RealPath), unit, preloaded) { Reads = reads }),
        _ => null,
    };

    // An entry deleted between being found and being read is simply not there.
    private static FsItem? Guarded(Func<FsItem> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
