namespace Davit.FileSystem.Disk;

/// <summary>
/// Group commit for folder flushes: writers that renamed into the same folder at about the same time share one
/// fsync of it. A writer that finds no flush of its folder running flushes it itself, on its own thread; one that
/// finds a flush running waits for it, and for the next one when that flush began before its rename. Each flush
/// covers every rename made before it started, so no writer returns before a flush that began after its change.
/// </summary>
internal sealed class FolderFlushes(Action<string> flush)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Folder> folders = new(StringComparer.Ordinal);

    /// <summary>A flusher that calls <see cref="DirectoryFlush.Flush"/>.</summary>
    public FolderFlushes()
        : this(DirectoryFlush.Flush)
    {
    }

    /// <summary>How many callers are inside <see cref="FlushAsync"/> for <paramref name="folder"/> (for tests).</summary>
    internal int Callers(string folder)
    {
        lock (gate)
        {
            return folders.TryGetValue(folder, out var state) ? state.Users : 0;
        }
    }

    /// <summary>Returns once a flush of <paramref name="folder"/> that began after this call has succeeded; throws
    /// the failure of the flush this caller ran itself.</summary>
    public async ValueTask FlushAsync(string folder)
    {
        Folder state;
        long ticket;
        lock (gate)
        {
            if (!folders.TryGetValue(folder, out state!))
            {
                folders[folder] = state = new Folder();
            }

            state.Users++;
            ticket = ++state.Arrived;
        }

        try
        {
            while (true)
            {
                Task? running;
                TaskCompletionSource? mine = null;
                long covers = 0;
                lock (gate)
                {
                    if (state.Durable >= ticket)
                    {
                        return;
                    }

                    running = state.Running;
                    if (running is null)
                    {
                        mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        state.Running = mine.Task;
                        covers = state.Arrived;
                    }
                }

                if (mine is null)
                {
                    await running!;
                    continue; // durable now, or that flush began too early or failed: look again
                }

                try
                {
                    flush(folder);
                    lock (gate)
                    {
                        state.Durable = Math.Max(state.Durable, covers);
                    }

                    return;
                }
                finally
                {
                    lock (gate)
                    {
                        state.Running = null;
                    }

                    mine.SetResult();
                }
            }
        }
        finally
        {
            lock (gate)
            {
                if (--state.Users == 0)
                {
                    folders.Remove(folder);
                }
            }
        }
    }

    private sealed class Folder
    {
        public long Arrived;
        public long Durable;
        public Task? Running;
        public int Users;
    }
}
