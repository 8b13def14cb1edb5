using Davit.FileSystem.Disk;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// Maps a <see cref="DavPath"/> to disk and keeps it confined: nothing outside the root, nothing in the metadata
/// folder, and no link whose target lies outside the root is ever followed.
/// </summary>
internal sealed class PathResolver(StoreLayout layout)
{
    private static readonly char[] InvalidNameChars = Path.GetInvalidFileNameChars();

    /// <summary>The longest name most file systems hold, in bytes of UTF-8 (NAME_MAX).</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The longest path the operating system takes, in bytes of UTF-8 without the final NUL (PATH_MAX - 1 on
    /// Linux; Windows' long paths are longer, macOS's shorter, and this bound is kept for all).</summary>
    public const int MaxPathBytes = 4095;

    /// <summary>Resolves <paramref name="path"/>, or returns null when it must not be reachable.</summary>
    public Location? Resolve(DavPath path)
    {
        if (path.IsRoot)
        {
            return new Location(layout.RootPath, layout.RootPath, EntryKind.Folder);
        }

        var full = Path.Join(layout.RootPath, string.Join(Path.DirectorySeparatorChar, path.Segments));
        if (path.Segments.Any(s => System.Text.Encoding.UTF8.GetByteCount(s) > MaxNameBytes)
            || IsTooLong(full, path.Name)
            || !IsLexicallyConfined(path, full))
        {
            return null;
        }

        // Most paths hold no link: one look at the whole path, instead of one per component.
        switch (LinkFreeLookup.TryStat(full, path.Segments.Length == 1, out var stat))
        {
            case LookupOutcome.Found:
                return new Location(full, full, stat.IsFolder ? EntryKind.Folder : EntryKind.File, stat);
            case LookupOutcome.Missing:
                return new Location(full, full, EntryKind.Missing);
        }

        var segments = path.Segments;
        var parentStatus = PathWalker.Walk(layout.RootPath, segments.Take(segments.Length - 1), layout.IsServable, out var parent);
        if (parentStatus == WalkStatus.Refused)
        {
            return null;
        }

        var entry = Path.Join(parent, path.Name);
        if (parentStatus == WalkStatus.Missing)
        {
            return new Location(entry, entry, EntryKind.Missing);
        }

        return ResolveEntry(parent, path.Name);
    }

    /// <summary>Resolves the member <paramref name="name"/> of the real folder <paramref name="folder"/>, or
    /// returns null when it must not be reachable.</summary>
    public Location? ResolveEntry(string folder, string name)
    {
        var entry = Path.Join(folder, name);
        if (!IsValidName(name) || layout.IsHidden(entry))
        {
            return null;
        }

        var status = PathWalker.Walk(folder, [name], layout.IsServable, out var real);
        return status switch
        {
            WalkStatus.Refused => null,
            WalkStatus.Missing => new Location(entry, real, EntryKind.Missing),
            _ => new Location(entry, real, KindOf(real)),
        };
    }

    /// <summary>True when <paramref name="name"/> is a name this store can hold: a valid DAV segment that the
    /// operating system would not read as something else (on Windows a stream "a:b", or "a." and "a " which open
    /// "a").</summary>
    public static bool IsValidName(string name) =>
        DavPath.IsValidSegment(name)
        && name.AsSpan().IndexOfAny(InvalidNameChars) < 0
        && !(OperatingSystem.IsWindows() && (name.EndsWith('.') || name.EndsWith(' ')));

    /// <summary>True when <paramref name="fullPath"/>, or its last component <paramref name="name"/>, is longer than the
    /// operating system takes: no item can be there, and none can be created.</summary>
    public static bool IsTooLong(string fullPath, string name) =>
        System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes || System.Text.Encoding.UTF8.GetByteCount(fullPath) > MaxPathBytes;

    // DavPath already refuses "..", separators and NUL; this is the second, independent check.
    private bool IsLexicallyConfined(DavPath path, string joined)
    {
        foreach (var segment in path.Segments)
        {
            if (!IsValidName(segment))
            {
                return false;
            }
        }

        var full = Path.GetFullPath(joined);
        return layout.IsInsideRoot(full) && !layout.IsHidden(full);
    }

    private static EntryKind KindOf(string realPath) =>
        Directory.Exists(realPath) ? EntryKind.Folder
        : File.Exists(realPath) ? EntryKind.File
        : EntryKind.Missing;
}
