namespace Davit.FileSystem;

/// <summary>Renames directory entries without following them.</summary>
internal static class EntryMover
{
    /// <summary>Renames <paramref name="item"/>'s entry to <paramref name="destination"/>; a link moves as a
    /// link. Never replaces: the destination is cleared first. Flushes both folders afterwards, so the move survives a
    /// power cut once this returns.</summary>
    public static void Move(FsItem item, string destination)
    {
        Rename(item.EntryPath, destination);
        DirectoryFlush.FlushParent(destination);
        if (!string.Equals(Path.GetDirectoryName(destination), Path.GetDirectoryName(item.EntryPath), StringComparison.Ordinal))
        {
            DirectoryFlush.FlushParent(item.EntryPath);
        }
    }

    /// <summary>Renames the entry at <paramref name="source"/> (file, folder or link) to <paramref name="destination"/>,
    /// never replacing anything.</summary>
    public static void Rename(string source, string destination)
    {
        var attributes = new FileInfo(source).Attributes;
        if ((int)attributes == -1)
        {
            throw new FileNotFoundException($"'{source}' is gone.", source);
        }

        var isFolder = (attributes & FileAttributes.Directory) != 0;
        var isLink = (attributes & FileAttributes.ReparsePoint) != 0;
        if (!isFolder && (!isLink || OperatingSystem.IsWindows()))
        {
            File.Move(source, destination, overwrite: false);
        }
        else
        {
            // rename(2) moves any entry as it is, links included; on Unix Directory.Move is the call that does
            // just that, while File.Move follows a link to a folder and refuses.
            Directory.Move(source, destination);
        }
    }

    /// <summary>True when anything, even a dangling link, is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => (int)new FileInfo(path).Attributes != -1;

    /// <summary>True when a symbolic link is at <paramref name="path"/>.</summary>
    public static bool IsLink(string path)
    {
        var attributes = new FileInfo(path).Attributes;
        return (int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) != 0;
    }
}
