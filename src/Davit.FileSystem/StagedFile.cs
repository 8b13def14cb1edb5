namespace Davit.FileSystem;

/// <summary>
/// A temporary file in the staging folder that becomes an item's content only when renamed into place. Disposing
/// it before that deletes it, so a failed or cancelled upload leaves nothing behind.
/// </summary>
internal sealed class StagedFile : IDisposable
{
    private bool committed;

    public StagedFile(string stagingPath)
    {
        FullPath = Path.Join(stagingPath, Guid.NewGuid().ToString("N") + StagingArea.Extension);
    }

    /// <summary>Where the staged bytes are.</summary>
    public string FullPath { get; }

    /// <summary>The length and modification time the staged file was flushed with, when <see cref="WriteAsync"/>
    /// stamped it (as the file system keeps the time); null when it was not stamped.</summary>
    public CommittedContent? Stamped { get; private set; }

    /// <summary>Fills the staged file with <paramref name="content"/> read to its end, then flushes it to the disk.
    /// Returns its length.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="committer">When given, stamps the file with the time of a new file before the flush (see
    /// <see cref="Stamped"/>), so the flush covers the time too and the commit need not set and read it again.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <exception cref="Storage.StoreException"><see cref="Storage.StoreError.InsufficientStorage"/> when the disk is full.</exception>
    public async ValueTask<long> WriteAsync(Stream content, ContentCommitter? committer, CancellationToken cancellationToken)
    {
        using var output = File.OpenHandle(FullPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        var length = await PooledCopy.ToFileAsync(content, output, cancellationToken);
        if (committer is not null)
        {
            committer.StampNew(output);

            // Read back: a file system that rounds times (FAT, HFS+) keeps another time than the one set.
            var modified = File.GetLastWriteTimeUtc(output);
            Stamped = new CommittedContent(length, modified, modified);
        }

        FlushToDisk(output);
        return length;
    }

    /// <summary>Fills the staged file with a copy of <paramref name="source"/>, flushed to the disk.</summary>
    public void CopyFrom(string source) => CopyFile(source, FullPath);

    /// <summary>Copies the file <paramref name="source"/> to the new file <paramref name="target"/> and flushes it.</summary>
    /// <param name="source">The file copied.</param>
    /// <param name="target">The new file.</param>
    /// <param name="committer">When given, stamps the copy with the time of a new file before the flush, so the
    /// flush covers the time too (and with it the copy's entity tag).</param>
    /// <exception cref="Storage.StoreException"><see cref="Storage.StoreError.InsufficientStorage"/> when the disk is full.</exception>
    public static void CopyFile(string source, string target, ContentCommitter? committer = null)
    {
        try
        {
            // File.Copy lets the kernel copy (copy_file_range, reflinks) without the bytes passing through here.
            File.Copy(source, target);
            using var output = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.None, 1);
            committer?.StampNew(output.SafeFileHandle);
            FlushToDisk(output);
        }
        catch (IOException ex) when (IoErrors.IsOutOfSpace(ex))
        {
            throw IoErrors.OutOfSpace(ex);
        }
    }

    /// <summary>As <see cref="CopyFile"/>, to a target of any length (<see cref="Disk.DeepEntries"/>), and stamped with
    /// the time of a new file.</summary>
    public static void CopyFileDeep(string source, string target, ContentCommitter committer)
    {
        if (Disk.DeepEntries.Fits(target))
        {
            CopyFile(source, target, committer);
            return;
        }

        try
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            using var output = Disk.DeepEntries.CreateFile(target);
            input.CopyTo(output, 64 * 1024);
            committer.StampNew(output.SafeFileHandle);
            FlushToDisk(output);
        }
        catch (IOException ex) when (IoErrors.IsOutOfSpace(ex))
        {
            throw IoErrors.OutOfSpace(ex);
        }
    }

    /// <summary>Marks the file as moved into place, so disposing keeps it.</summary>
    public void MarkCommitted() => committed = true;

    /// <summary>True once the file was moved into place: its bytes are no longer at <see cref="FullPath"/>.</summary>
    public bool IsCommitted => committed;

    public void Dispose()
    {
        if (committed)
        {
            return;
        }

        try
        {
            File.Delete(FullPath);
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            // Left for the clean-up at the next start; the original failure matters more than this one.
        }
    }

    // Without the fsync a crash right after the rename could leave the new name pointing at unwritten blocks.
    private static void FlushToDisk(FileStream output)
    {
        output.Flush();
        FlushToDisk(output.SafeFileHandle);
    }

    private static void FlushToDisk(Microsoft.Win32.SafeHandles.SafeFileHandle output)
    {
        try
        {
            RandomAccess.FlushToDisk(output);
        }
        catch (IOException ex) when (IoErrors.IsOutOfSpace(ex))
        {
            throw IoErrors.OutOfSpace(ex);
        }
    }
}
