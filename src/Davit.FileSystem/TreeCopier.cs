using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// Copies the members of a folder tree (COPY with Depth: infinity), recording each member that fails under its
/// destination path (RFC 4918 §9.8.8) and going on with the rest. Properties are not its business: the caller
/// copies the rows of the whole tree at once.
/// </summary>
/// <param name="errors">Where failures go.</param>
/// <param name="destinationRoot">The real path of the top copy: links inside the source may lead into it.</param>
internal sealed class TreeCopier(MultistatusErrors errors, string destinationRoot)
{
    // RFC 5842 §7.2: the tree loops back on itself (through links).
    private const int LoopDetected = 508;

    /// <summary>Copies the members of <paramref name="source"/> into <paramref name="target"/>.</summary>
    /// <param name="source">The folder whose members are copied.</param>
    /// <param name="target">The folder receiving them.</param>
    /// <param name="chain">The real paths of the folders being copied, outermost first.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    public void CopyMembers(FsFolder source, FsFolder target, IReadOnlyList<string> chain, CancellationToken cancellationToken)
    {
        foreach (var member in source.Store.Items.Children(source, cancellationToken))
        {
            var destination = target.Path.Append(member.Name);
            try
            {
                var (_, entry) = target.Store.Destination(target, member.Name, existsStatus: 412);
                if (member is FsFolder folder)
                {
                    CopyFolder(folder, entry, destination, chain, cancellationToken);
                }
                else
                {
                    ((FsFile)member).CopyContent(entry, destination);
                }
            }
            catch (Exception ex) when (ex is DavException || IoErrors.IsFileSystemError(ex))
            {
                errors.Add(destination, IoErrors.StatusFor(ex), ex.Message);
            }
        }
    }

    private void CopyFolder(FsFolder folder, string entry, DavPath destination, IReadOnlyList<string> chain, CancellationToken cancellationToken)
    {
        if (chain.Contains(folder.RealPath, StringComparer.Ordinal)
            || StoreLayout.IsSameOrUnder(folder.RealPath, destinationRoot, StringComparison.Ordinal))
        {
            throw new DavException(LoopDetected, $"'{folder.Path}' leads back into the tree being copied.");
        }

        var copy = folder.CreateCopy(entry, destination);
        CopyMembers(folder, copy, [.. chain, folder.RealPath], cancellationToken);
    }
}
