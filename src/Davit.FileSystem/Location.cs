namespace Davit.FileSystem;

/// <summary>What a path names on disk.</summary>
internal enum EntryKind
{
    Missing,
    File,
    Folder,
}

/// <summary>Where an item lives on disk.</summary>
/// <param name="EntryPath">The directory entry that names the item: a link itself when the item is reached
/// through one. Renames and deletes act on this, so removing a link never touches what it points to.</param>
/// <param name="RealPath">Where the content is: the entry with every link resolved. Reads, writes and listings
/// act on this.</param>
/// <param name="Kind">What is there.</param>
/// <param name="Stat">What the lookup read about the entry, when it read it; else the item reads it itself.</param>
internal readonly record struct Location(string EntryPath, string RealPath, EntryKind Kind, Disk.EntryStat? Stat = null);
