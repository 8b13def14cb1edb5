using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// Copies the members of a folder tree (COPY with Depth: infinity) into a folder being prepared in the staging
/// area, recording each member that fails under its destination path (RFC 4918 §9.8.8) and going on with the rest.
/// Properties are not its business: the caller copies the rows of the whole tree at once. Iterative: a tree of any
/// depth takes a stack on the heap.
/// </summary>
/// <param name="store">The store whose items are copied.</param>
/// <param name="errors">Where failures go.</param>
/// <param name="destination">The path the copy will have once renamed into place.</param>
/// <param name="preparedRoot">The real path of the folder being prepared.</param>
/// <param name="finalRoot">Where that folder will be renamed to: a member whose path there would be longer than the
/// operating system takes is refused (414), even though the staging folder could hold it.</param>
internal sealed class TreeCopier(FileSystemStore store, TreeErrors errors, DavPath destination, string preparedRoot, string finalRoot)
{
    /// <summary>
    /// Copies the members of <paramref name="source"/> into the real folder <paramref name="target"/>, then flushes
    /// <paramref name="target"/> and every folder created under it, so that once the caller renames the prepared
    /// folder into place (and flushes the folder holding it) no name in the copy can be lost to a power cut. Files are
    /// flushed as they are copied.
    /// </summary>
    public void CopyMembers(FsFolder source, string target, CancellationToken cancellationToken)
    {
        var created = new List<string> { target };
        var finalBytes = System.Text.Encoding.UTF8.GetByteCount(finalRoot);
        var preparedLength = preparedRoot.Length;
        var pending = new Stack<(FsFolder Source, string Target, DavPath Destination, Ancestor Chain)>();
        pending.Push((source, target, destination, new Ancestor(source.RealPath, null)));
        while (pending.TryPop(out var level))
        {
            foreach (var member in store.Items.Children(level.Source, null, PropertySelection.None, cancellationToken))
            {
                var memberDestination = level.Destination.Append(member.Name);
                var memberTarget = Path.Join(level.Target, member.Name);
                try
                {
                    if (finalBytes + System.Text.Encoding.UTF8.GetByteCount(memberTarget.AsSpan(preparedLength)) > PathResolver.MaxPathBytes)
                    {
                        throw new PathTooLongException($"'{memberDestination}' would be longer than the operating system takes.");
                    }

                    if (member is FsFolder folder)
                    {
                        // RFC 5842 §7.2: a link that leads back into the tree being copied (or into the copy) loops.
                        if (level.Chain.Contains(folder.RealPath)
                            || StoreLayout.IsSameOrUnder(folder.RealPath, preparedRoot, StringComparison.Ordinal))
                        {
                            throw new StoreException(StoreError.LoopDetected, $"'{folder.Path}' leads back into the tree being copied.");
                        }

                        // The staging folder's path is longer than the destination's: a tree that fits there may not
                        // fit here in one system call.
                        Disk.DeepEntries.CreateFolder(memberTarget);
                        created.Add(memberTarget);
                        pending.Push((folder, memberTarget, memberDestination, new Ancestor(folder.RealPath, level.Chain)));
                    }
                    else
                    {
                        // A copy is a new resource: its own modification time, so its own entity tag.
                        StagedFile.CopyFileDeep(member.RealPath, memberTarget, store.Committer);
                    }
                }
                catch (Exception ex) when (IoErrors.HasOutcome(ex))
                {
                    errors.Add(memberDestination, IoErrors.ErrorFor(ex), ex.Message);
                }
            }
        }

        // Deepest first, after every entry exists: on a journalling file system the first flush commits the entries
        // of the whole tree, and the rest find nothing left to write. A failure fails the whole copy (the caller
        // removes the prepared folder), as an unflushed copy must not be published.
        for (var i = created.Count - 1; i >= 0; i--)
        {
            Disk.DeepEntries.FlushFolder(created[i]);
        }
    }

    // The real paths of the folders from the top of the copy down to a level, shared between levels (a copied list per
    // level would make a deep chain cost the square of its depth).
    private sealed record Ancestor(string RealPath, Ancestor? Up)
    {
        public bool Contains(string realPath)
        {
            for (var at = this; at is not null; at = at.Up)
            {
                if (string.Equals(at.RealPath, realPath, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
