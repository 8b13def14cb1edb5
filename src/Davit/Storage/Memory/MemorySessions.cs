using Davit.Uploads;

namespace Davit.Storage.Memory;

/// <summary>
/// The uploads in progress of an <see cref="InMemoryStoreState"/>: per path, the session and the bytes saved so far,
/// as a list of chunks that a finished upload hands over to its file without a copy. One lock guards the index and
/// is never held across an await; a writer holds its session (the lease) while it streams, and publishes every chunk
/// as it arrives, so a progress report sees it at once.
/// </summary>
internal sealed class MemorySessions
{
    private const int ChunkSize = MemoryBytes.ChunkSize;

    private readonly Lock gate = new();
    private readonly Dictionary<DavPath, Entry> byPath = [];

    public UploadSession? Get(DavPath path, DateTimeOffset now)
    {
        lock (gate)
        {
            return byPath.TryGetValue(path, out var entry) && now < entry.Session.ExpiresUtc ? entry.Session : null;
        }
    }

    public IReadOnlyList<UploadSession> List(DavPath path, DateTimeOffset now)
    {
        lock (gate)
        {
            return [.. byPath.Values.Select(e => e.Session)
                .Where(s => s.Path.IsSameOrDescendantOf(path) && now < s.ExpiresUtc)
                .OrderBy(s => s.Path.ToString(), StringComparer.Ordinal)];
        }
    }

    public UploadSession Create(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength ?? 0, nameof(totalLength));
        var session = new UploadSession(Guid.NewGuid().ToString("N"), path, 0, totalLength, contentType, now, now, expiresUtc);
        lock (gate)
        {
            byPath[path] = new Entry(session);
        }

        return session;
    }

    public async ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (gate)
        {
            entry = Find(session);
            if (entry.Writing)
            {
                throw new StoreException(StoreError.Busy, $"Another request is writing the upload to '{session.Path}'.");
            }

            if (offset < 0 || offset > entry.Session.BytesSaved)
            {
                throw new StoreException(StoreError.Conflict, $"The upload to '{session.Path}' has {entry.Session.BytesSaved} bytes; a write cannot start at {offset}.");
            }

            entry.Writing = true;
            entry.Cut(offset);
            entry.Session = entry.Session with { BytesSaved = offset, TotalLength = totalLength ?? entry.Session.TotalLength };
        }

        try
        {
            while (true)
            {
                var chunk = new byte[ChunkSize];
                var filled = 0;
                try
                {
                    int read;
                    while (filled < chunk.Length && (read = await data.ReadAsync(chunk.AsMemory(filled), cancellationToken)) > 0)
                    {
                        filled += read;
                    }
                }
                catch
                {
                    // A dropped connection or a cancelled request: what arrived is kept.
                    Publish(entry, chunk, filled, clock, lifetime);
                    throw;
                }

                Publish(entry, chunk, filled, clock, lifetime);
                if (filled < chunk.Length)
                {
                    lock (gate)
                    {
                        return entry.Session;
                    }
                }
            }
        }
        finally
        {
            lock (gate)
            {
                entry.Writing = false;
            }
        }
    }

    public UploadSession Truncate(UploadSession session, long bytesSaved)
    {
        lock (gate)
        {
            var entry = Find(session);
            if (entry.Writing)
            {
                throw new StoreException(StoreError.Busy, $"Another request is writing the upload to '{session.Path}'.");
            }

            ArgumentOutOfRangeException.ThrowIfNegative(bytesSaved);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesSaved, entry.Session.BytesSaved);
            entry.Cut(bytesSaved);
            entry.Session = entry.Session with { BytesSaved = bytesSaved };
            return entry.Session;
        }
    }

    public Stream OpenRead(UploadSession session)
    {
        lock (gate)
        {
            var entry = Find(session);
            return entry.Snapshot(session.BytesSaved).OpenRead();
        }
    }

    public void Delete(UploadSession session)
    {
        lock (gate)
        {
            if (byPath.TryGetValue(session.Path, out var entry) && entry.Session.Id == session.Id)
            {
                byPath.Remove(session.Path);
                entry.Gone = true;
            }
        }
    }

    public IReadOnlyList<UploadSession> DeleteExpired(DateTimeOffset now)
    {
        lock (gate)
        {
            var expired = byPath.Values.Where(e => !e.Writing && now >= e.Session.ExpiresUtc).ToList();
            foreach (var entry in expired)
            {
                byPath.Remove(entry.Session.Path);
                entry.Gone = true;
            }

            return [.. expired.Select(e => e.Session)];
        }
    }

    /// <summary>The saved bytes of <paramref name="session"/>, with the session removed; null when it is gone, or
    /// still being written.</summary>
    public MemoryBytes? TryTake(UploadSession session)
    {
        lock (gate)
        {
            if (!byPath.TryGetValue(session.Path, out var entry) || entry.Session.Id != session.Id || entry.Writing
                || entry.Session.BytesSaved != session.BytesSaved)
            {
                return null;
            }

            byPath.Remove(session.Path);
            entry.Gone = true;
            return entry.Snapshot(session.BytesSaved);
        }
    }

    private void Publish(Entry entry, byte[] chunk, int filled, TimeProvider clock, TimeSpan lifetime)
    {
        lock (gate)
        {
            if (entry.Gone)
            {
                throw new StoreException(StoreError.NotFound, $"The upload to '{entry.Session.Path}' was cancelled or replaced.");
            }

            // Even a write that brought no bytes (an empty segment) moves the times on.
            var now = clock.GetUtcNow();
            if (filled > 0)
            {
                entry.Append(filled == chunk.Length ? chunk : chunk.AsMemory(0, filled).ToArray());
            }

            entry.Session = entry.Session with { BytesSaved = entry.Session.BytesSaved + filled, LastChunkSavedUtc = now, ExpiresUtc = now + lifetime };
        }
    }

    // Called under the lock.
    private Entry Find(UploadSession session) =>
        byPath.TryGetValue(session.Path, out var entry) && entry.Session.Id == session.Id
            ? entry
            : throw new StoreException(StoreError.NotFound, $"The upload to '{session.Path}' no longer exists.");

    private sealed class Entry(UploadSession session)
    {
        private readonly List<ReadOnlyMemory<byte>> chunks = [];

        public UploadSession Session { get; set; } = session;

        public bool Writing { get; set; }

        public bool Gone { get; set; }

        public void Append(ReadOnlyMemory<byte> chunk) => chunks.Add(chunk);

        /// <summary>Keeps the first <paramref name="length"/> bytes.</summary>
        public void Cut(long length)
        {
            long kept = 0;
            for (var i = 0; i < chunks.Count; i++)
            {
                var size = chunks[i].Length;
                if (kept + size <= length)
                {
                    kept += size;
                    continue;
                }

                var partial = chunks[i][..(int)(length - kept)];
                chunks.RemoveRange(i, chunks.Count - i);
                if (!partial.IsEmpty)
                {
                    chunks.Add(partial);
                }

                return;
            }
        }

        public MemoryBytes Snapshot(long length)
        {
            var parts = new List<ReadOnlyMemory<byte>>();
            long taken = 0;
            foreach (var chunk in chunks)
            {
                if (taken >= length)
                {
                    break;
                }

                var take = (int)Math.Min(chunk.Length, length - taken);
                parts.Add(chunk[..take]);
                taken += take;
            }

            return MemoryBytes.FromSegments(parts);
        }
    }
}
