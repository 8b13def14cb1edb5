using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// The engine's default <see cref="IUploadSessionStore"/>: keeps each session as two files in a folder,
/// <c>&lt;id&gt;.data</c> with the saved bytes and <c>&lt;id&gt;.json</c> with the session record, so that uploads
/// survive a restart (or a crash) of the process.
/// </summary>
/// <remarks>
/// The sessions are indexed in memory by path; the index is read from the folder when the store is created, and the
/// folder is tidied then (see <see cref="DirectorySessionFiles.Load"/>). One lock guards the index and is never
/// held across file I/O. Bytes are copied through one pooled 128 KiB buffer, so an upload of any size takes the
/// same memory. The store keeps no file open between calls.
/// </remarks>
public sealed partial class DirectoryUploadSessionStore : IUploadSessionStore, IPhysicalUploadSessions, IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<DavPath, DirectorySessionEntry> byPath = [];
    private readonly DirectorySessionFiles files;
    private volatile bool disposed;

    /// <summary>Opens the sessions kept in <paramref name="folder"/>, creating the folder if it is missing.</summary>
    /// <param name="folder">A folder for this store alone; files in it that the store did not make are left alone.</param>
    public DirectoryUploadSessionStore(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        files = new DirectorySessionFiles(Path.GetFullPath(folder));
        foreach (var entry in files.Load())
        {
            byPath.Add(entry.Session.Path, entry);
        }
    }

    /// <summary>The folder the sessions are kept in.</summary>
    public string Folder => files.Folder;

    /// <inheritdoc />
    public string? GetDataPath(UploadSession session)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        lock (gate)
        {
            if (!byPath.TryGetValue(session.Path, out var entry) || entry.Session.Id != session.Id)
            {
                return null;
            }
        }

        // Only a data file holding exactly the saved bytes can be handed over whole.
        var path = files.DataPath(session.Id);
        var info = new FileInfo(path);
        return info.Exists && info.Length == session.BytesSaved ? path : null;
    }

    /// <inheritdoc />
    public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        lock (gate)
        {
            var session = byPath.TryGetValue(path, out var entry) && !IsExpired(entry.Session, now) ? entry.Session : null;
            return ValueTask.FromResult(session);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        List<UploadSession> sessions;
        lock (gate)
        {
            sessions = [.. byPath.Values
                .Select(entry => entry.Session)
                .Where(session => session.Path.IsSameOrDescendantOf(path) && !IsExpired(session, now))];
        }

        sessions.Sort((a, b) => string.CompareOrdinal(a.Path.ToString(), b.Path.ToString()));
        return ValueTask.FromResult<IReadOnlyList<UploadSession>>(sessions);
    }

    /// <inheritdoc />
    public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (totalLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(totalLength), totalLength, "A total length cannot be negative.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var session = new UploadSession(DirectorySessionFiles.NewId(), path, 0, totalLength, contentType, now, now, expiresUtc);
        var entry = new DirectorySessionEntry(session);
        try
        {
            files.CreateData(session.Id);

            // Not flushed: a session with no bytes that a power cut takes away costs the client nothing to start again.
            files.SaveRecord(entry, session, durable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DavException)
        {
            files.TryDeleteFiles(session.Id);
            if (DirectorySessionFiles.IsOutOfSpace(ex))
            {
                throw DirectorySessionFiles.OutOfSpace(ex);
            }

            throw;
        }

        DirectorySessionEntry? replaced;
        lock (gate)
        {
            byPath.Remove(path, out replaced);
            byPath.Add(path, entry);
        }

        if (replaced is not null)
        {
            // The new session is in place whatever happens here: the next start deletes what is left.
            files.TryDelete(replaced);
        }

        return ValueTask.FromResult(session);
    }

    /// <inheritdoc />
    /// <exception cref="DavException">409 when the session no longer exists; 507 when out of space.</exception>
    public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ObjectDisposedException.ThrowIf(disposed, this);
        UploadSession current;
        DirectorySessionEntry entry;
        lock (gate)
        {
            entry = Find(session);
            current = entry.Session;
        }

        if (bytesSaved < 0 || bytesSaved > current.BytesSaved)
        {
            throw new ArgumentOutOfRangeException(nameof(bytesSaved), bytesSaved, $"The length must be within 0..{current.BytesSaved}.");
        }

        if (bytesSaved == current.BytesSaved)
        {
            return ValueTask.FromResult(current);
        }

        // The record is lowered first, so that it never counts bytes the data file no longer has.
        var truncated = current with { BytesSaved = bytesSaved };
        Save(entry, truncated, durable: true);
        try
        {
            using var output = new FileStream(files.DataPath(entry.Id), FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete, 1);
            output.SetLength(bytesSaved);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The bytes past the record's count are never read, and the next start cuts them off.
        }

        return ValueTask.FromResult(truncated);
    }

    /// <inheritdoc />
    /// <exception cref="DavException">409 when the session no longer exists.</exception>
    public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ObjectDisposedException.ThrowIf(disposed, this);
        UploadSession current;
        lock (gate)
        {
            current = Find(session).Session;
        }

        var file = new FileStream(files.DataPath(current.Id), new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        var length = file.Length;
        if (length == current.BytesSaved)
        {
            return ValueTask.FromResult<Stream>(file);
        }

        if (length < current.BytesSaved)
        {
            file.Dispose();
            throw new IOException($"The data file of upload session {current.Id} holds {length} bytes, fewer than the {current.BytesSaved} saved.");
        }

        return ValueTask.FromResult<Stream>(new SessionFileReadStream(file, current.BytesSaved));
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ObjectDisposedException.ThrowIf(disposed, this);
        DirectorySessionEntry? entry = null;
        lock (gate)
        {
            if (byPath.TryGetValue(session.Path, out var current) && current.Id == session.Id)
            {
                byPath.Remove(session.Path);
                entry = current;
            }
        }

        if (entry is not null)
        {
            files.Delete(entry);
        }
        else if (DirectorySessionFiles.IsValidId(session.Id))
        {
            // Gone from the index; anything a failed deletion left behind goes now.
            files.TryDeleteFiles(session.Id);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        List<DirectorySessionEntry> expired;
        lock (gate)
        {
            // A session being written to is left for the next sweep: its write will move the expiry on.
            expired = [.. byPath.Values.Where(entry => !entry.Writing && IsExpired(entry.Session, now))];
            foreach (var entry in expired)
            {
                byPath.Remove(entry.Session.Path);
            }
        }

        foreach (var entry in expired)
        {
            files.TryDelete(entry);
        }

        return ValueTask.FromResult<IReadOnlyList<UploadSession>>([.. expired.Select(entry => entry.Session)]);
    }

    /// <summary>Stops the store; it keeps no open files, so this only refuses further calls.</summary>
    public void Dispose() => disposed = true;

    // Saves the record and makes it the indexed session; a session deleted meanwhile stays deleted.
    private void Save(DirectorySessionEntry entry, UploadSession session, bool durable)
    {
        if (!files.SaveRecord(entry, session, durable))
        {
            throw Gone(session);
        }

        lock (gate)
        {
            entry.Session = session;
        }
    }

    // Called under the lock.
    private DirectorySessionEntry Find(UploadSession session) =>
        byPath.TryGetValue(session.Path, out var entry) && entry.Id == session.Id ? entry : throw Gone(session);

    private static DavException Gone(UploadSession session) =>
        new(409, $"Upload session {session.Id} for '{session.Path}' no longer exists.");

    private static bool IsExpired(UploadSession session, DateTimeOffset now) => now >= session.ExpiresUtc;
}
