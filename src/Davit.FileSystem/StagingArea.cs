namespace Davit.FileSystem;

/// <summary>
/// The folders under the metadata folder where content is prepared before it is renamed into place (staging), and
/// where replaced trees wait until the write that replaced them is committed (trash). Both are on the root's volume,
/// so every move in and out is a rename.
/// </summary>
/// <remarks>
/// Each store instance works in folders of its own, <c>staging/&lt;instance&gt;</c> and <c>trash/&lt;instance&gt;</c>,
/// and holds an exclusive lock on the file <c>staging/&lt;instance&gt;/.lease</c> while it is open. An instance whose
/// lease nobody holds has ended (a kill included), so whatever it left is removed whole by <see cref="ReclaimEnded"/>,
/// at once, even while other instances (other processes) serve the same folder.
/// </remarks>
internal sealed class StagingArea : IDisposable
{
    public const string Extension = ".tmp";

    private const string LeaseName = ".lease";

    // Entries of the layout before instances had folders of their own, and folders whose lease was never made (a kill
    // between the two), count as abandoned once untouched for this long.
    private static readonly TimeSpan Abandoned = TimeSpan.FromHours(1);

    private readonly StoreLayout layout;
    private readonly TimeProvider time;
    private readonly string instance = Guid.NewGuid().ToString("N");
    private readonly FileStream lease;

    public StagingArea(StoreLayout layout, TimeProvider time)
    {
        this.layout = layout;
        this.time = time;
        Path = System.IO.Path.Join(layout.StagingPath, instance);
        TrashPath = System.IO.Path.Join(layout.TrashPath, instance);
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(TrashPath);
        lease = new FileStream(System.IO.Path.Join(Path, LeaseName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
    }

    /// <summary>This instance's staging folder.</summary>
    public string Path { get; }

    /// <summary>This instance's trash folder.</summary>
    public string TrashPath { get; }

    /// <summary>True when <paramref name="staged"/> was made in a staging folder of this store's (this instance's or
    /// another's over the same folder): it is on the root's volume and can be renamed into place.</summary>
    public bool Owns(StagedFile staged) =>
        string.Equals(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(staged.FullPath)), layout.StagingPath, StringComparison.Ordinal);

    /// <summary>Reserves a new staged file (not created until written).</summary>
    public StagedFile Reserve() => new(Path);

    /// <summary>A new, unused path in the staging folder, for a folder tree being prepared.</summary>
    public string ReserveFolder() => System.IO.Path.Join(Path, Guid.NewGuid().ToString("N") + Extension);

    /// <summary>A new, unused path in the trash.</summary>
    public string ReserveTrash() => System.IO.Path.Join(TrashPath, Guid.NewGuid().ToString("N"));

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
                Disk.TreeRemoval.Delete(entry);
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

    /// <summary>
    /// Removes what ended instances left in staging and trash. Call it holding the metadata database's write lock,
    /// after the undo journal was replayed: a journal may name an entry of the trash to bring back.
    /// </summary>
    public void ReclaimEnded()
    {
        var olderThan = time.GetUtcNow().UtcDateTime - Abandoned;
        foreach (var entry in Entries(layout.StagingPath))
        {
            if (entry.Name == instance)
            {
                continue;
            }

            if (entry is DirectoryInfo folder && HasEnded(folder, olderThan))
            {
                Purge(System.IO.Path.Join(layout.TrashPath, folder.Name));
                Purge(folder.FullName);
            }
            else if (entry is not DirectoryInfo && entry.LastWriteTimeUtc < olderThan)
            {
                Purge(entry.FullName);
            }
        }

        // Trash folders whose staging folder is gone, and old entries from before instances had folders.
        foreach (var entry in Entries(layout.TrashPath))
        {
            if (entry.Name != instance && !Directory.Exists(System.IO.Path.Join(layout.StagingPath, entry.Name))
                && (IsInstanceName(entry.Name) || entry.LastWriteTimeUtc < olderThan))
            {
                Purge(entry.FullName);
            }
        }
    }

    /// <summary>Releases the lease and removes this instance's folders.</summary>
    public void Dispose() => Close(purge: true);

    /// <summary>Releases the lease; with <paramref name="purge"/>, removes this instance's folders too. Without, they
    /// wait for the next start's <see cref="ReclaimEnded"/> (an undo journal may still name an entry in them).</summary>
    public void Close(bool purge)
    {
        lease.Dispose();
        if (purge)
        {
            Purge(TrashPath);
            Purge(Path);
        }
    }

    private static bool HasEnded(DirectoryInfo folder, DateTime olderThan)
    {
        if (!IsInstanceName(folder.Name))
        {
            return folder.LastWriteTimeUtc < olderThan;
        }

        try
        {
            // Opening it exclusively succeeds only when no instance holds it.
            using var probe = new FileStream(System.IO.Path.Join(folder.FullName, LeaseName), FileMode.Open, FileAccess.Write, FileShare.None, 1);
            return true;
        }
        catch (FileNotFoundException)
        {
            return folder.LastWriteTimeUtc < olderThan;
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            return false;
        }
    }

    private static bool IsInstanceName(string name) => name.Length == 32 && name.All(char.IsAsciiHexDigitLower);

    private static IEnumerable<FileSystemInfo> Entries(string folder)
    {
        try
        {
            return [.. new DirectoryInfo(folder).EnumerateFileSystemInfos()];
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            return [];
        }
    }
}
