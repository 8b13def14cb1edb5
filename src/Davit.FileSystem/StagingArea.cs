namespace Davit.FileSystem;

/// <summary>
/// The folders under the metadata folder where content is prepared before it is renamed into place (staging), and
/// where replaced trees wait until the write that replaced them is committed (trash). Both are on the root's volume,
/// so every move in and out is a rename.
/// </summary>
internal sealed class StagingArea
{
    public const string Extension = ".tmp";

    // Longer than any write stays silent: an entry still in use has a recent modification time.
    private static readonly TimeSpan Abandoned = TimeSpan.FromHours(1);

    private readonly StoreLayout layout;

    public StagingArea(StoreLayout layout, TimeProvider timeProvider)
    {
        this.layout = layout;
        var olderThan = timeProvider.GetUtcNow().UtcDateTime - Abandoned;
        RemoveAbandoned(layout.StagingPath, olderThan);
        RemoveAbandoned(layout.TrashPath, olderThan);
    }

    /// <summary>The staging folder.</summary>
    public string Path => layout.StagingPath;

    /// <summary>True when <paramref name="staged"/> was made in this store's staging folder.</summary>
    public bool Owns(StagedFile staged) => string.Equals(System.IO.Path.GetDirectoryName(staged.FullPath), layout.StagingPath, StringComparison.Ordinal);

    /// <summary>Reserves a new staged file (not created until written).</summary>
    public StagedFile Reserve() => new(layout.StagingPath);

    /// <summary>A new, unused path in the staging folder, for a folder tree being prepared.</summary>
    public string ReserveFolder() => System.IO.Path.Join(layout.StagingPath, Guid.NewGuid().ToString("N") + Extension);

    /// <summary>Moves the entry at <paramref name="entry"/> (a file, a folder, a link) into the trash; returns where.</summary>
    public string MoveToTrash(string entry)
    {
        var trashed = System.IO.Path.Join(layout.TrashPath, Guid.NewGuid().ToString("N"));
        EntryMover.Rename(entry, trashed);
        return trashed;
    }

    /// <summary>Deletes an entry in the trash or staging, never following links; failures are left for the next start.</summary>
    public static void Purge(string entry)
    {
        try
        {
            var info = new FileInfo(entry);
            if ((int)info.Attributes == -1)
            {
                return;
            }

            if ((info.Attributes & FileAttributes.Directory) != 0 && (info.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            // Left for the clean-up at the next start.
        }
    }

    // A crash or a kill between staging and renaming leaves entries here; another store instance over the same
    // folder may be writing, hence only old ones go.
    private static void RemoveAbandoned(string folder, DateTime olderThan)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            try
            {
                if (entry.LastWriteTimeUtc < olderThan)
                {
                    Purge(entry.FullName);
                }
            }
            catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
            {
                // Someone else removed or holds it; try again at the next start.
            }
        }
    }
}
