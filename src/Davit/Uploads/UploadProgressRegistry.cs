using System.Collections.Concurrent;
using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// Bytes that requests still running have saved so far, by URL. A session store updates a session's record when a
/// request's write ends; the progress REPORT, made while a PUT or a form POST is still streaming, reads the live
/// figure here (the seed's progress bar for forms).
/// </summary>
internal sealed class UploadProgressRegistry
{
    private readonly ConcurrentDictionary<DavPath, Live> live = new();

    public Action<long> Track(DavPath path, long? total, DateTimeOffset started, TimeProvider time)
    {
        var entry = new Live(total, started);
        live[path] = entry;
        return bytes =>
        {
            entry.Bytes = bytes;
            entry.LastSaved = time.GetUtcNow();
        };
    }

    public void Forget(DavPath path) => live.TryRemove(path, out _);

    public bool TryGet(DavPath path, out Live entry) => live.TryGetValue(path, out entry!);

    public IEnumerable<(DavPath Path, Live Entry)> Under(DavPath path) =>
        live.Where(p => p.Key.IsSameOrDescendantOf(path)).Select(p => (p.Key, p.Value));

    internal sealed class Live(long? total, DateTimeOffset started)
    {
        public long? Total { get; } = total;

        public long Bytes { get; set; }

        public DateTimeOffset LastSaved { get; set; } = started;
    }
}
