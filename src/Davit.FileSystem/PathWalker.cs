namespace Davit.FileSystem;

/// <summary>The outcome of a <see cref="PathWalker"/> walk.</summary>
internal enum WalkStatus
{
    /// <summary>Every component exists; the path is the real one, free of links.</summary>
    Found,

    /// <summary>A component is missing (or a link dangles); the path is where it would be.</summary>
    Missing,

    /// <summary>A component is not acceptable (outside the root, hidden) or links loop.</summary>
    Refused,
}

/// <summary>
/// Resolves symbolic links one component at a time, as the kernel does, so that a link anywhere in a path is seen
/// and its target judged before anything is opened through it.
/// </summary>
internal static class PathWalker
{
    // The same bound Linux puts on links followed during one lookup (MAXSYMLINKS).
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>Follows every link in the absolute <paramref name="fullPath"/>, like realpath(3). Components
    /// after a missing one are kept as they are.</summary>
    public static string Canonicalize(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath);
        if (string.IsNullOrEmpty(root))
        {
            throw new ArgumentException("The path must be absolute.", nameof(fullPath));
        }

        var budget = MaxLinks;
        var status = Walk(root, fullPath[root.Length..].Split(Separators), null, ref budget, out var result);
        return status == WalkStatus.Refused
            ? throw new IOException($"Too many symbolic links in '{fullPath}'.")
            : Path.TrimEndingDirectorySeparator(result);
    }

    /// <summary>
    /// Appends <paramref name="segments"/> to <paramref name="start"/> (a real directory path), following links.
    /// <paramref name="accept"/> judges every real path reached; returning false refuses the whole walk.
    /// </summary>
    public static WalkStatus Walk(string start, IEnumerable<string> segments, Func<string, bool>? accept, out string path)
    {
        var budget = MaxLinks;
        return Walk(start, segments, accept, ref budget, out path);
    }

    private static WalkStatus Walk(string start, IEnumerable<string> segments, Func<string, bool>? accept, ref int budget, out string path)
    {
        path = start;
        var missing = false;
        foreach (var segment in segments)
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                // The current path is free of links, so its lexical parent is its real parent.
                path = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path)) ?? path;
            }
            else if (missing)
            {
                path = Path.Join(path, segment);
            }
            else
            {
                var step = Step(path, segment, ref budget, out var next);
                if (step == WalkStatus.Refused)
                {
                    return WalkStatus.Refused;
                }

                missing = step == WalkStatus.Missing;
                path = next;
            }

            if (accept is not null && !accept(path))
            {
                return WalkStatus.Refused;
            }
        }

        return missing ? WalkStatus.Missing : WalkStatus.Found;
    }

    private static WalkStatus Step(string directory, string segment, ref int budget, out string next)
    {
        next = Path.Join(directory, segment);
        var info = new FileInfo(next);
        string? target;
        try
        {
            var attributes = info.Attributes;
            if ((int)attributes == -1)
            {
                return WalkStatus.Missing;
            }

            if ((attributes & FileAttributes.ReparsePoint) == 0)
            {
                return WalkStatus.Found;
            }

            target = info.LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return WalkStatus.Missing;
        }

        if (target is null)
        {
            // A reparse point that is not a link (a Windows dedup or cloud file): an ordinary entry.
            return WalkStatus.Found;
        }

        if (--budget < 0)
        {
            return WalkStatus.Refused;
        }

        // Only where the link finally leads is judged (by the caller), not the places its target passes through.
        return FollowLink(directory, target, ref budget, out next);
    }

    private static WalkStatus FollowLink(string directory, string target, ref int budget, out string next)
    {
        if (Path.IsPathFullyQualified(target))
        {
            var root = Path.GetPathRoot(target)!;
            return Walk(root, target[root.Length..].Split(Separators), null, ref budget, out next);
        }

        if (Path.IsPathRooted(target))
        {
            // Drive-relative Windows targets ("C:x", "\x") depend on process state: never follow them.
            next = directory;
            return WalkStatus.Refused;
        }

        return Walk(directory, target.Split(Separators), null, ref budget, out next);
    }
}
