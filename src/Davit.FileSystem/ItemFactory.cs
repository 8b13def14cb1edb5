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
        // On Linux the folder is opened once and each entry looked up by its name in it (statx): building a
        // FileSystemInfo walks the whole path for each entry, and asking it whether the entry is a link costs another
        // system call (geteuid, for the read-only attribute); those took half of a listing of 10,000 files.
        var descriptor = Disk.LinkFreeLookup.OpenFolder(folder.RealPath);
        if (descriptor < 0)
        {
            foreach (var entry in Listing.Entries(folder.RealPath))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Child(folder, entry, Preload(rows, entry.Name, selection)) is { } item)
                {
                    yield return item;
                }
            }

            yield break;
        }

        try
        {
            foreach (var name in Listing.Names(folder.RealPath))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Child(folder, descriptor, name, Preload(rows, name, selection)) is { } item)
                {
                    yield return item;
                }
            }
        }
        finally
        {
            Disk.LinkFreeLookup.CloseFolder(descriptor);
        }
    }

    private static Preloaded? Preload(Dictionary<string, List<DeadProperty>>? rows, string name, PropertySelection selection) =>
        rows is null ? null : new Preloaded(rows.GetValueOrDefault(name) ?? [], selection);

    private FsItem? Child(FsFolder folder, int descriptor, string name, Preloaded? preloaded)
    {
        var full = Path.Join(folder.RealPath, name);
        if (!PathResolver.IsValidName(name) || layout.IsHidden(full))
        {
            return null;
        }

        switch (Disk.LinkFreeLookup.TryStatAt(descriptor, name, out var stat))
        {
            case Disk.LookupOutcome.Found:
                var path = folder.Path.Append(name);
                return stat.IsFolder
                    ? new FsFolder(store, path, full, full, stat, folder.Unit, preloaded) { Reads = folder.Reads }
                    : new FsFile(store, path, full, full, stat, folder.Unit, preloaded) { Reads = folder.Reads };
            case Disk.LookupOutcome.Missing:
                return null; // deleted meanwhile
            default:
                // A link (or an error): as before, from a FileSystemInfo of its own, a folder's when it leads to one
                // (as the enumeration gives it).
                return Child(folder, Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full), preloaded);
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
