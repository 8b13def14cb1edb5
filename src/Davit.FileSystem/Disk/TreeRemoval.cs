using System.Text;

namespace Davit.FileSystem.Disk;

/// <summary>
/// Deletes a folder tree of any depth without recursion and without links being followed. Directory.Delete with
/// recursive set recurses once per level and opens every entry by its full path, so a tree whose deepest path is longer
/// than the operating system takes (a 2,000-level chain moved to the trash, whose path is longer than where it was)
/// stays for ever. Here a folder whose path grows too long is first renamed next to the tree's top, and deleted from
/// there.
/// </summary>
internal static class TreeRemoval
{
    // Room left under PATH_MAX for a member's name (255 bytes) and a separator.
    private const int MaxFolderBytes = PathResolver.MaxPathBytes - PathResolver.MaxNameBytes - 1;

    /// <summary>Deletes the folder <paramref name="top"/> and everything below it; throws the first failure.</summary>
    public static void Delete(string top)
    {
        var parking = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(top)) ?? top;
        var pending = new Stack<(string Folder, bool Emptied)>();
        pending.Push((top, false));
        while (pending.TryPop(out var entry))
        {
            if (entry.Emptied)
            {
                Directory.Delete(entry.Folder);
                continue;
            }

            pending.Push((entry.Folder, true));
            foreach (var member in new DirectoryInfo(entry.Folder).EnumerateFileSystemInfos("*", Listing.Options))
            {
                if (member is not DirectoryInfo || Listing.IsLink(member))
                {
                    // A link to a folder is removed as an entry, never entered.
                    if (member is DirectoryInfo && OperatingSystem.IsWindows())
                    {
                        Directory.Delete(member.FullName);
                    }
                    else
                    {
                        File.Delete(member.FullName);
                    }

                    continue;
                }

                var folder = member.FullName;
                if (Encoding.UTF8.GetByteCount(folder) > MaxFolderBytes)
                {
                    var parked = Path.Join(parking, Guid.NewGuid().ToString("N"));
                    Directory.Move(folder, parked);
                    folder = parked;
                }

                pending.Push((folder, false));
            }
        }
    }
}
