namespace Davit.FileSystem;

/// <summary>
/// The store's folders as real paths (links resolved), and the two rules every path must pass: it lies inside the
/// root, and it is not the metadata folder or inside it.
/// </summary>
internal sealed class StoreLayout
{
    private const string DefaultMetadataFolder = ".davit";

    public StoreLayout(FileSystemStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Root))
        {
            throw new ArgumentException("FileSystemStoreOptions.Root must not be empty.", nameof(options));
        }

        var root = Path.GetFullPath(options.Root);
        Directory.CreateDirectory(root);
        RootPath = PathWalker.Canonicalize(root);
        var metadata = Path.GetFullPath(options.MetadataPath ?? Path.Join(root, DefaultMetadataFolder));
        Directory.CreateDirectory(metadata);
        MetadataPath = PathWalker.Canonicalize(metadata);
        if (IsSameOrUnder(RootPath, MetadataPath, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("FileSystemStoreOptions.MetadataPath must not be the root or contain it.", nameof(options));
        }

        StagingPath = Path.Join(MetadataPath, "staging");
        Directory.CreateDirectory(StagingPath);
        TrashPath = Path.Join(MetadataPath, "trash");
        Directory.CreateDirectory(TrashPath);
        UploadsPath = Path.Join(MetadataPath, "uploads");
        DatabasePath = Path.Join(MetadataPath, "davit.db");
    }

    /// <summary>The real path of the served folder.</summary>
    public string RootPath { get; }

    /// <summary>The real path of the metadata folder.</summary>
    public string MetadataPath { get; }

    /// <summary>Where uploads are written before they are renamed into place.</summary>
    public string StagingPath { get; }

    /// <summary>Where replaced and deleted trees wait until the write that removed them is committed.</summary>
    public string TrashPath { get; }

    /// <summary>Where the bytes of uploads in progress are kept.</summary>
    public string UploadsPath { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>True when <paramref name="fullPath"/> is the root or below it, compared exactly: a path spelled
    /// differently is refused, never let through.</summary>
    public bool IsInsideRoot(string fullPath) => IsSameOrUnder(fullPath, RootPath, StringComparison.Ordinal);

    /// <summary>True when <paramref name="fullPath"/> is the metadata folder or below it. Compared ignoring case,
    /// because on a case-insensitive file system ".DAVIT" opens ".davit"; hiding a few more names is harmless.</summary>
    public bool IsHidden(string fullPath) => IsSameOrUnder(fullPath, MetadataPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="fullPath"/> may be served: inside the root and not hidden.</summary>
    public bool IsServable(string fullPath) => IsInsideRoot(fullPath) && !IsHidden(fullPath);

    /// <summary>True when <paramref name="path"/> is <paramref name="ancestor"/> or below it.</summary>
    public static bool IsSameOrUnder(string path, string ancestor, StringComparison comparison)
    {
        path = Path.TrimEndingDirectorySeparator(path);
        ancestor = Path.TrimEndingDirectorySeparator(ancestor);
        if (!path.StartsWith(ancestor, comparison))
        {
            return false;
        }

        if (path.Length == ancestor.Length)
        {
            return true;
        }

        // "/srv/data" is not above "/srv/database"; a root ancestor ("/") already ends with its separator.
        return Path.EndsInDirectorySeparator(ancestor) || path[ancestor.Length] == Path.DirectorySeparatorChar
            || path[ancestor.Length] == Path.AltDirectorySeparatorChar;
    }
}
