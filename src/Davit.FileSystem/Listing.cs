namespace Davit.FileSystem;

/// <summary>How directories are read.</summary>
internal static class Listing
{
    /// <summary>Every entry, exactly as stored: the defaults would skip hidden entries (every dot-file on Unix).</summary>
    public static readonly EnumerationOptions Options = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        MatchType = MatchType.Simple,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The entries of <paramref name="directory"/>, without following links.</summary>
    public static IEnumerable<FileSystemInfo> Entries(string directory) =>
        new DirectoryInfo(directory).EnumerateFileSystemInfos("*", Options);

    /// <summary>The names of the entries of <paramref name="directory"/>, without looking at any entry (no stat).</summary>
    public static IEnumerable<string> Names(string directory) =>
        new System.IO.Enumeration.FileSystemEnumerable<string>(directory, static (ref entry) => entry.FileName.ToString(), Options);

    /// <summary>True when <paramref name="entry"/> is a symbolic link (or another reparse point).</summary>
    public static bool IsLink(FileSystemInfo entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;
}
