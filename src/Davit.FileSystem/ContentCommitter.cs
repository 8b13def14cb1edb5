using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// Renames staged content into place with a modification time strictly later than the one it replaces, so the
/// ETag (length + time) changes even for two same-size writes within the file system's timestamp granularity.
/// </summary>
internal sealed class ContentCommitter(TimeProvider timeProvider)
{
    // Steps tried in turn when a file system rounds times (FAT keeps 2 s, HFS+ 1 s); most take the first.
    private static readonly long[] Steps = [1, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond, 2 * TimeSpan.TicksPerSecond];

    // Serialises read-previous-time, stamp and rename, so two writers of one file never get the same time.
    private readonly Lock gate = new();

    /// <summary>
    /// Moves <paramref name="staged"/> to <paramref name="target"/> and flushes the folder holding it, so the new
    /// name survives a power cut once this returns. Returns what is now at the target, as it was renamed.
    /// </summary>
    /// <param name="staged">The content, flushed to the disk.</param>
    /// <param name="target">Where it goes.</param>
    /// <param name="replace">True to replace the file there (which must exist), false to create a new one.</param>
    /// <param name="expectedETag">With <paramref name="replace"/>, the entity tag the file there must still have, or
    /// null for any: checked and renamed under one lock, so no write of this process slips in between (writes of
    /// other processes are kept out by the unit of work).</param>
    /// <exception cref="Storage.StoreException"><see cref="Storage.StoreError.AlreadyExists"/> when creating and
    /// something is there; <see cref="Storage.StoreError.NotFound"/> when replacing and nothing is;
    /// <see cref="Storage.StoreError.ChangedMeanwhile"/> when the entity tag differs.</exception>
    /// <param name="unit">The unit of work the rename belongs to: the folder is flushed when it commits (see
    /// <see cref="FsUnitOfWork.FlushOnCommit"/>); without one, here.</param>
    public CommittedContent Commit(StagedFile staged, string target, bool replace, string? expectedETag = null, FsUnitOfWork? unit = null)
    {
        var committed = Rename(staged, target, replace, expectedETag);

        // Outside the gate: one writer's flush does not hold up another's rename.
        if (unit is null)
        {
            DirectoryFlush.FlushParent(target);
        }
        else
        {
            unit.FlushOnCommit(DirectoryFlush.ParentOf(target));
        }

        return committed;
    }

    private CommittedContent Rename(StagedFile staged, string target, bool replace, string? expectedETag)
    {
        lock (gate)
        {
            // A new file stamped as it was staged needs only the rename, which refuses a name that is taken.
            var committed = !replace && staged.Stamped is { } stamped ? stamped : Prepare(staged, target, replace, expectedETag);
            try
            {
                if (!Disk.OneCallRename.TryRename(staged.FullPath, target, replace))
                {
                    File.Move(staged.FullPath, target, replace);
                }
            }
            catch (IOException ex) when (!replace && EntryMover.Exists(target))
            {
                throw new Storage.StoreException(Storage.StoreError.AlreadyExists, $"Something appeared at '{target}' meanwhile.", ex);
            }

            staged.MarkCommitted();
            return committed;
        }
    }

    // Checks what is at the target, gives the staged file its attributes and a time later than its own, and returns
    // what the staged file is now.
    private CommittedContent Prepare(StagedFile staged, string target, bool replace, string? expectedETag)
    {
        var current = new FileInfo(target);
        var exists = (int)current.Attributes != -1;
        if (exists && !replace)
        {
            throw new Storage.StoreException(Storage.StoreError.AlreadyExists, $"Something is at '{target}' already.");
        }

        if (!exists && replace)
        {
            throw new Storage.StoreException(Storage.StoreError.NotFound, $"'{target}' is gone.");
        }

        if (expectedETag is not null && !string.Equals(FsFile.ETagOf(current.Length, current.LastWriteTimeUtc), expectedETag, StringComparison.Ordinal))
        {
            throw new Storage.StoreException(Storage.StoreError.ChangedMeanwhile, $"'{target}' is no longer the version {expectedETag}.");
        }

        if (exists)
        {
            KeepAttributes(staged.FullPath, current);
        }

        // The time stamped at staging does when it is later than the one it replaces (as it is, unless a writer of
        // the same file committed after this one staged, or a client set a time in the future).
        if (staged.Stamped is { } stamped && !OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS()
            && (!exists || stamped.ModifiedUtc > current.LastWriteTimeUtc))
        {
            return stamped;
        }

        Stamp(staged.FullPath, exists ? current.LastWriteTimeUtc : null);

        // Read before the rename: afterwards the name may already hold a later write's content.
        var info = new FileInfo(staged.FullPath);
        return new CommittedContent(info.Length, info.LastWriteTimeUtc, info.CreationTimeUtc);
    }

    /// <summary>Gives a new file (a copy, made outside <see cref="Commit"/>) the current time as its modification time.</summary>
    public void StampNew(string path) => File.SetLastWriteTimeUtc(path, timeProvider.GetUtcNow().UtcDateTime);

    /// <summary>As <see cref="StampNew(string)"/>, for a file open for writing.</summary>
    public void StampNew(Microsoft.Win32.SafeHandles.SafeFileHandle file) => File.SetLastWriteTimeUtc(file, timeProvider.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Sets the modification time of the file at <paramref name="path"/> to <paramref name="requested"/>, kept to
    /// the second; the sub-second part is chosen here, so that the ETag (length + time) cannot come back.
    /// </summary>
    /// <remarks>
    /// A client may set the time back (Windows sets the client-side time after every upload), so without care a new
    /// content of the same length could take exactly the time, and so the ETag, of an earlier content. The sub-second
    /// part is therefore random and non-zero, and never the one of the file's current time or of the requested time
    /// (the time an earlier version had, when a client sets it back verbatim): the new time differs from the current
    /// one and from the requested one always. What remains is theoretical: an earlier version of this path with the
    /// same length whose time fell in the same second with the same sub-second part, one chance in ten million per
    /// such version. On a file system that keeps whole seconds only (FAT, HFS+, ext3) the part is lost and that
    /// guarantee with it. A per-path generation in the database, mixed into the ETag, would close the gap everywhere,
    /// but costs a database query on every lookup (measured at two to three times the cost of a lookup).
    /// </remarks>
    public void SetTime(string path, DateTime requested)
    {
        lock (gate)
        {
            var current = File.GetLastWriteTimeUtc(path).Ticks;
            var second = requested.Ticks - (requested.Ticks % TimeSpan.TicksPerSecond);
            long ticks;
            do
            {
                ticks = second + Random.Shared.NextInt64(1, TimeSpan.TicksPerSecond);
            }
            while (ticks == current || ticks == requested.Ticks);

            File.SetLastWriteTimeUtc(path, new DateTime(ticks, DateTimeKind.Utc));
        }
    }

    // The replacement is a new file: give it what the operator set on the one it replaces.
    private static void KeepAttributes(string staged, FileInfo target)
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            // Linux cannot set a creation time (and .NET would move the modification time instead).
            File.SetCreationTimeUtc(staged, target.CreationTimeUtc);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(staged, target.UnixFileMode);
        }
    }

    private void Stamp(string path, DateTime? previous)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (previous is not { } before)
        {
            File.SetLastWriteTimeUtc(path, now);
            return;
        }

        foreach (var step in Steps)
        {
            var least = before.AddTicks(step);
            File.SetLastWriteTimeUtc(path, now > least ? now : least);
            if (File.GetLastWriteTimeUtc(path) > before)
            {
                return;
            }
        }
    }
}

/// <summary>What a commit put in place, as the file system keeps it: its length, modification and creation times.</summary>
internal readonly record struct CommittedContent(long Length, DateTime ModifiedUtc, DateTime CreatedUtc);
