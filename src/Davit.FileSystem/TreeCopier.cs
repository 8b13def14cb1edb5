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
internal sealed class TreeCopier(FileSystemStore store, TreeErrors errors, DavPath destination, string preparedRoot)
{
    /// <summary>Copies the members of <paramref name="source"/> into the real folder <paramref name="target"/>.</summary>
    public void CopyMembers(FsFolder source, string target, CancellationToken cancellationToken)
    {
        var pending = new Stack<(FsFolder Source, string Target, DavPath Destination, IReadOnlyList<string> Chain)>();
        pending.Push((source, target, destination, [source.RealPath]));
        while (pending.TryPop(out var level))
        {
            foreach (var member in store.Items.Children(level.Source, null, PropertySelection.None, cancellationToken))
            {
                var memberDestination = level.Destination.Append(member.Name);
                var memberTarget = Path.Join(level.Target, member.Name);
                try
                {
                    if (member is FsFolder folder)
                    {
                        // RFC 5842 §7.2: a link that leads back into the tree being copied (or into the copy) loops.
                        if (level.Chain.Contains(folder.RealPath, StringComparer.Ordinal)
                            || StoreLayout.IsSameOrUnder(folder.RealPath, preparedRoot, StringComparison.Ordinal))
                        {
                            throw new StoreException(StoreError.LoopDetected, $"'{folder.Path}' leads back into the tree being copied.");
                        }

                        Directory.CreateDirectory(memberTarget);
                        pending.Push((folder, memberTarget, memberDestination, [.. level.Chain, folder.RealPath]));
                    }
                    else
                    {
                        // A copy is a new resource: its own modification time, so its own entity tag.
                        StagedFile.CopyFile(member.RealPath, memberTarget);
                        store.Committer.StampNew(memberTarget);
                    }
                }
                catch (Exception ex) when (IoErrors.HasOutcome(ex))
                {
                    errors.Add(memberDestination, IoErrors.ErrorFor(ex), ex.Message);
                }
            }
        }
    }
}
