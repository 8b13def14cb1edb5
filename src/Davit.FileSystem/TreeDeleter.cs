using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// Deletes a folder tree entry by entry, never following links (a link is removed, not what it points to), and
/// records each member that stays (RFC 4918 §9.6.1) while going on with the rest.
/// </summary>
internal sealed class TreeDeleter(StoreLayout layout, TreeErrors errors)
{
    /// <summary>Deletes the folder at <paramref name="directory"/> and its members.</summary>
    /// <exception cref="StoreException">The folder itself stays and no member explains why.</exception>
    public void DeleteFolder(string directory, DavPath path, CancellationToken cancellationToken)
    {
        if (!DeleteMembers(directory, path, cancellationToken))
        {
            return;
        }

        try
        {
            Directory.Delete(directory);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted by someone else meanwhile: the outcome the client asked for.
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            throw IoErrors.ToStore(ex, $"Could not delete '{path}'.");
        }
    }

    // True when every member went; each one that did not is recorded (its ancestors are not).
    private bool DeleteMembers(string directory, DavPath path, CancellationToken cancellationToken)
    {
        var complete = true;
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = Listing.Entries(directory);
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (layout.IsHidden(entry.FullName))
            {
                // MetadataPath configured inside this tree: it stays, and so does the folder holding it.
                errors.Add(path, StoreError.Forbidden, "The folder holds the store's metadata folder.");
                complete = false;
                continue;
            }

            var member = PathResolver.IsValidName(entry.Name) ? path.Append(entry.Name) : path;
            complete &= DeleteMember(entry, member, cancellationToken);
        }

        return complete;
    }

    private bool DeleteMember(FileSystemInfo entry, DavPath member, CancellationToken cancellationToken)
    {
        try
        {
            if (entry is DirectoryInfo && !Listing.IsLink(entry))
            {
                if (!DeleteMembers(entry.FullName, member, cancellationToken))
                {
                    return false;
                }

                Directory.Delete(entry.FullName);
            }
            else if (entry is DirectoryInfo && OperatingSystem.IsWindows())
            {
                Directory.Delete(entry.FullName);
            }
            else
            {
                File.Delete(entry.FullName);
            }

            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception ex) when (IoErrors.HasOutcome(ex))
        {
            errors.Add(member, IoErrors.ErrorFor(ex), ex.Message);
            return false;
        }
    }
}
