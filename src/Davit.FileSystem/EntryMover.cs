using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>Renames a directory entry without following it.</summary>
internal static class EntryMover
{
    /// <summary>Renames <paramref name="item"/>'s entry to <paramref name="destination"/>; a link moves as a
    /// link. Never replaces: the engine has already cleared the destination. Flushes both folders afterwards, so
    /// the move survives a power cut once this returns.</summary>
    public static void Move(FsItem item, string destination)
    {
        Rename(item, destination);
        DirectoryFlush.FlushParent(destination);
        if (!string.Equals(Path.GetDirectoryName(destination), Path.GetDirectoryName(item.EntryPath), StringComparison.Ordinal))
        {
            DirectoryFlush.FlushParent(item.EntryPath);
        }
    }

    private static void Rename(FsItem item, string destination)
    {
        if (item is FsFile && (!item.IsLink || OperatingSystem.IsWindows()))
        {
            File.Move(item.EntryPath, destination, overwrite: false);
        }
        else
        {
            // rename(2) moves any entry as it is, links included; on Unix Directory.Move is the call that does
            // just that, while File.Move follows a link to a folder and refuses.
            Directory.Move(item.EntryPath, destination);
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
