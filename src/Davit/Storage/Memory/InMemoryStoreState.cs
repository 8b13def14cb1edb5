using System.Globalization;
using Davit.Locking;

namespace Davit.Storage.Memory;

/// <summary>
/// Everything an <see cref="InMemoryStore"/> keeps: the tree, the dead properties, the locks, the uploads in progress,
/// and the write gate that makes write units of work serializable. Several store instances created over one state
/// behave as several servers over one backing store (which is how the conformance suite proves what holds across
/// nodes); the state itself lives only as long as this process.
/// </summary>
public sealed class InMemoryStoreState
{
    // Entity tags carry a per-state prefix, so a client that cached one from an earlier process cannot match a
    // different file that happens to reach the same version number.
    private readonly string etagPrefix = Guid.NewGuid().ToString("N")[..8];
    private long etagCounter;

    /// <summary>Creates an empty state holding only the root folder.</summary>
    /// <param name="timeProvider">The clock for creation and modification times; <see cref="TimeProvider.System"/>
    /// when null.</param>
    public InMemoryStoreState(TimeProvider? timeProvider = null)
    {
        Clock = timeProvider ?? TimeProvider.System;
        Root = new MemoryFolderNode(string.Empty, Clock.GetUtcNow());
    }

    internal TimeProvider Clock { get; }

    internal MemoryFolderNode Root { get; }

    /// <summary>Guards the tree: held for a few dictionary operations, never across an await.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Held by a write unit of work from begin to end: writes (and lock changes, which only writes make) run
    /// one after another.</summary>
    internal SemaphoreSlim WriteGate { get; } = new(1, 1);

    internal InMemoryLockStore Locks { get; } = new();

    internal MemorySessions Sessions { get; } = new();

    /// <summary>A new entity tag, different from every other this state has issued.</summary>
    internal string NextETag() =>
        etagPrefix + "-" + Interlocked.Increment(ref etagCounter).ToString("x", CultureInfo.InvariantCulture);
}
