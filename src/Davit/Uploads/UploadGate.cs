using System.Collections.Concurrent;
using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// One writer per upload URL at a time, in this process: a second request writing the same URL while the first
/// is still running gets 409 instead of interleaving its bytes. (Servers sharing a session store across machines
/// need the store to serialise as well.)
/// </summary>
internal sealed class UploadGate
{
    private readonly ConcurrentDictionary<DavPath, byte> busy = new();

    public IDisposable Enter(DavPath path) =>
        busy.TryAdd(path, 0)
            ? new Releaser(this, path)
            : throw new DavException(409, "Another request is uploading to this URL right now.");

    private sealed class Releaser(UploadGate gate, DavPath path) : IDisposable
    {
        public void Dispose() => gate.busy.TryRemove(path, out _);
    }
}
