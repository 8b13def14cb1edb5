using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Davit.PostgreSql;

/// <summary>
/// Names one content version for the node cache: the database (its store id), the version's id, the time its row was
/// created and its length. The bytes of a version never change once a file points at it, and its id is never given
/// twice by one database; the creation time and the length guard against a database restored from a backup, whose
/// id sequence may give an id again to other bytes.
/// </summary>
internal readonly record struct CacheKey(string StoreId, long ContentId, long Created, long Length)
{
    public string FileName => $"{ContentId}-{Created}-{Length}";
}

/// <summary>
/// A node-local copy of content versions on this machine's disk, read instead of the database's rows (see
/// docs/postgresql-store.md, "The node's content cache"). A version is copied while a full GET streams it from the
/// rows, into a temporary file renamed into place only when every byte arrived; it is never changed after, and
/// removed only to keep the folder under its budget. Every failure of the cache's disk falls back to the rows.
/// </summary>
internal sealed class ContentCache
{
    private const string TempPrefix = ".fill-";
    private const string BootFile = "boot-id";
    private static readonly TimeSpan StaleTemp = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AbandonedTemp = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, byte> filling = new();
    private readonly Lock evicting = new();
    private readonly ILogger logger;

    private ContentCache(string directory, long budget, long minimumLength, ILogger logger)
    {
        Directory = directory;
        Budget = budget;
        MinimumLength = minimumLength;
        this.logger = logger;
    }

    public string Directory { get; }

    public long Budget { get; }

    public long MinimumLength { get; }

    /// <summary>The cache of <paramref name="options"/>, or null when it is off or its folder cannot be used (logged).</summary>
    public static ContentCache? Create(PostgreSqlStoreOptions options, ILogger logger)
    {
        if (options.ContentCache is not { } settings || string.IsNullOrWhiteSpace(settings.Directory) || settings.MaxBytes <= 0)
        {
            return null;
        }

        var directory = Path.GetFullPath(settings.Directory);
        try
        {
            CreateDirectory(directory);
            var cache = new ContentCache(directory, settings.MaxBytes, Math.Max(1, settings.MinimumLength), logger);
            cache.Start();
            Log.CacheReady(logger, directory, settings.MaxBytes);
            return cache;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CacheUnusable(logger, directory, ex);
            return null;
        }
    }

    /// <summary>The cached copy of <paramref name="key"/>, open for reading, or null (not cached, or a copy of the
    /// wrong length, which is removed).</summary>
    public SafeFileHandle? TryOpen(CacheKey key)
    {
        var path = PathOf(key);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            if (RandomAccess.GetLength(handle) != key.Length)
            {
                handle.Dispose();
                Remove(key);
                return null;
            }

            // The modification time of a copy is the time it was last used, which eviction goes by (access times are
            // not kept by every mount); set at most every 10 seconds, so a burst of ranges costs no writes.
            var now = DateTime.UtcNow;
            if (now - File.GetLastWriteTimeUtc(handle) > TimeSpan.FromSeconds(10))
            {
                File.SetLastWriteTimeUtc(path, now);
            }

            return handle;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return handle;
        }
    }

    /// <summary>Removes the copy of <paramref name="key"/>, if any (it was found short or of the wrong length).</summary>
    public void Remove(CacheKey key)
    {
        try
        {
            File.Delete(PathOf(key));
            Log.CacheRemoved(logger, key.FileName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another node removed or replaced it; either way it is not read again by this request.
        }
    }

    /// <summary>Starts copying <paramref name="key"/>'s bytes as they are sent, or null when it is not to be cached
    /// (too small or too large, being copied already, or the folder cannot take it).</summary>
    public CacheFill? BeginFill(CacheKey key)
    {
        if (key.Length < MinimumLength || key.Length > Budget || !filling.TryAdd(PathOf(key), 0))
        {
            return null;
        }

        try
        {
            var folder = FolderOf(key.StoreId);
            CreateDirectory(folder);
            var temp = Path.Combine(folder, TempPrefix + Guid.NewGuid().ToString("N"));
            var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, key.Length);
            return new CacheFill(this, key, temp, handle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            filling.TryRemove(PathOf(key), out _);
            Log.CacheFillFailed(logger, key.FileName, ex);
            return null;
        }
    }

    internal void Finish(CacheFill fill, bool publish)
    {
        try
        {
            if (publish)
            {
                File.Move(fill.TempPath, PathOf(fill.Key), overwrite: true);
                Log.CacheFilled(logger, fill.Key.FileName, fill.Key.Length);
            }
            else
            {
                File.Delete(fill.TempPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CacheFillFailed(logger, fill.Key.FileName, ex);
            TryDelete(fill.TempPath);
        }
        finally
        {
            filling.TryRemove(PathOf(fill.Key), out _);
        }

        if (publish)
        {
            try
            {
                Evict();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.CacheUnusable(logger, Directory, ex);
            }
        }
    }

    internal void Abandoned(CacheFill fill, Exception exception) => Log.CacheFillFailed(logger, fill.Key.FileName, exception);

    /// <summary>Removes the least recently used copies until the folder holds at most <see cref="Budget"/> bytes. It
    /// looks at the folder, not at what this process wrote, so that nodes sharing a folder share the budget.</summary>
    private void Evict()
    {
        lock (evicting)
        {
            var files = new List<FileInfo>();
            long total = 0;
            var abandoned = DateTime.UtcNow - AbandonedTemp;
            foreach (var folder in new DirectoryInfo(Directory).EnumerateDirectories())
            {
                foreach (var file in folder.EnumerateFiles())
                {
                    if (file.Name.StartsWith(TempPrefix, StringComparison.Ordinal))
                    {
                        if (file.LastWriteTimeUtc < abandoned)
                        {
                            TryDelete(file.FullName);
                        }

                        continue;
                    }

                    files.Add(file);
                    total += file.Length;
                }
            }

            foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc))
            {
                if (total <= Budget)
                {
                    break;
                }

                if (TryDelete(file.FullName))
                {
                    total -= file.Length;
                    Log.CacheEvicted(logger, file.Name, file.Length);
                }
            }
        }
    }

    /// <summary>
    /// Clears what cannot be trusted: every copy when the machine has restarted since the folder was last used (a copy
    /// is not flushed to the disk, so after a power cut it might hold its length in zeros), and temporary files of
    /// fills that stopped (their process was killed).
    /// </summary>
    private void Start()
    {
        var bootFile = Path.Combine(Directory, BootFile);
        var boot = BootId();
        var known = File.Exists(bootFile) ? File.ReadAllText(bootFile).Trim() : null;
        var cutoff = DateTime.UtcNow - StaleTemp;
        foreach (var folder in new DirectoryInfo(Directory).EnumerateDirectories())
        {
            foreach (var file in folder.EnumerateFiles())
            {
                var temp = file.Name.StartsWith(TempPrefix, StringComparison.Ordinal);
                if (boot is null || boot != known || (temp && file.LastWriteTimeUtc < cutoff))
                {
                    TryDelete(file.FullName);
                }
            }
        }

        if (boot is not null && boot != known)
        {
            File.WriteAllText(bootFile, boot);
        }
    }

    /// <summary>This boot of the machine (Linux), or null where it cannot be told: then nothing survives a restart.</summary>
    private static string? BootId()
    {
        try
        {
            return OperatingSystem.IsLinux() ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            // Only this user may put files here (a file planted under a version's name would be served as its bytes)
            // or read them (they are the store's content). A folder that was already there, made by hand or by an
            // older build, is brought to the same mode; one this user does not own cannot be, and is not used.
            const UnixFileMode userOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            var folder = System.IO.Directory.CreateDirectory(path, userOnly);
            if (folder.UnixFileMode != userOnly)
            {
                File.SetUnixFileMode(path, userOnly);
            }
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string FolderOf(string storeId) => Path.Combine(Directory, storeId);

    private string PathOf(CacheKey key) => Path.Combine(FolderOf(key.StoreId), key.FileName);
}

/// <summary>
/// The output of a full GET, copied to a temporary file of the cache as it is written: the client's bytes go first,
/// then the copy's, so a failure of the cache's disk abandons the copy and never the response. Published by
/// <see cref="CompleteAsync"/> when exactly the version's length was written; disposing it without that deletes the
/// temporary file.
/// </summary>
internal sealed class CacheFill(ContentCache cache, CacheKey key, string tempPath, SafeFileHandle handle) : IAsyncDisposable
{
    private long written;
    private bool failed;
    private bool finished;

    public CacheKey Key => key;

    public string TempPath => tempPath;

    public Stream Wrap(Stream output) => new Tee(this, output);

    /// <summary>Publishes the copy when it holds the whole version.</summary>
    public ValueTask CompleteAsync()
    {
        handle.Dispose();
        finished = true;
        cache.Finish(this, publish: !failed && written == key.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!finished)
        {
            handle.Dispose();
            finished = true;
            cache.Finish(this, publish: false);
        }

        return ValueTask.CompletedTask;
    }

    private void Copy(ReadOnlySpan<byte> bytes)
    {
        if (failed)
        {
            return;
        }

        try
        {
            RandomAccess.Write(handle, bytes, written);
            written += bytes.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failed = true;
            cache.Abandoned(this, ex);
        }
    }

    private sealed class Tee(CacheFill fill, Stream output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await output.WriteAsync(buffer, cancellationToken);
            fill.Copy(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            output.Write(buffer, offset, count);
            fill.Copy(buffer.AsSpan(offset, count));
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

        public override void Flush() => output.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
