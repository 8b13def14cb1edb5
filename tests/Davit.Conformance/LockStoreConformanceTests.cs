using Davit.Locking;
using Davit.Storage;

namespace Davit.Conformance;

/// <summary>
/// The behaviour every <see cref="ILockStore"/> must show, written against the public contract only. A lock store's
/// test project subclasses this once, returning a fresh empty lock store from <see cref="CreateLockStoreAsync"/>,
/// and must pass every test unchanged. The tests are split by concern over the partial files of this class.
/// </summary>
/// <remarks>
/// Time is passed to the store, never read from a clock, so every test runs at the fixed instant <see cref="Now"/>
/// and moves on by passing a later one. Lock roots need not be mapped in any store: the engine takes a lock before
/// it creates the locked empty resource.
/// </remarks>
public abstract partial class LockStoreConformanceTests : IAsyncLifetime
{
    /// <summary>The instant the tests take as the present.</summary>
    protected static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The timeout <see cref="NewLock"/> gives unless told otherwise.</summary>
    protected static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    private const string DefaultOwner = "<D:owner xmlns:D=\"DAV:\"><D:href>mailto:alice@example.com</D:href></D:owner>";

    private ILockStore? locks;

    /// <summary>The lock store under test: fresh and empty for each test.</summary>
    protected ILockStore Locks => locks ?? throw new InvalidOperationException("The lock store is created in InitializeAsync.");

    /// <summary>Creates a new, empty lock store. Called once per test.</summary>
    protected abstract ValueTask<ILockStore> CreateLockStoreAsync();

    /// <summary>Releases a lock store made by <see cref="CreateLockStoreAsync"/>; disposes it when it is
    /// disposable.</summary>
    protected virtual ValueTask DisposeLockStoreAsync(ILockStore store) => Disposal.DisposeIfDisposableAsync(store);

    /// <inheritdoc />
    public async Task InitializeAsync() => locks = await CreateLockStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (locks is not null)
        {
            await DisposeLockStoreAsync(locks);
            locks = null;
        }
    }

    /// <summary>A lock with a fresh token on <paramref name="root"/> ('/'-separated, "" for the root), expiring
    /// <paramref name="timeout"/> (10 minutes by default) after <see cref="Now"/>.</summary>
    protected static ActiveLock NewLock(
        string root,
        LockScope scope = LockScope.Exclusive,
        LockDepth depth = LockDepth.Infinity,
        TimeSpan? timeout = null,
        string? token = null)
    {
        var granted = timeout ?? DefaultTimeout;
        return new ActiveLock(
            token ?? NewToken(),
            DavPath.Parse(root),
            scope,
            depth,
            DefaultOwner,
            "alice",
            granted,
            Now + granted);
    }

    /// <summary>A lock that never expires.</summary>
    protected static ActiveLock NewInfiniteLock(string root, LockScope scope = LockScope.Exclusive, LockDepth depth = LockDepth.Infinity) =>
        NewLock(root, scope, depth) with { Timeout = Timeout.InfiniteTimeSpan, ExpiresUtc = DateTimeOffset.MaxValue };

    /// <summary>A new "urn:uuid:" lock token.</summary>
    protected static string NewToken() => "urn:uuid:" + Guid.NewGuid().ToString("D");

    /// <summary>Adds <paramref name="newLock"/> at <paramref name="now"/> (<see cref="Now"/> by default) and returns
    /// the conflicts the store reported.</summary>
    protected async Task<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset? now = null) =>
        await Locks.TryAddAsync(newLock, now ?? Now, CancellationToken.None);

    /// <summary>Adds locks that must not conflict with anything held.</summary>
    protected async Task AddAsync(params ActiveLock[] newLocks)
    {
        foreach (var newLock in newLocks)
        {
            var conflicts = await TryAddAsync(newLock);
            Assert.True(conflicts.Count == 0, $"Adding the lock on '{newLock.Root}' reported {conflicts.Count} conflicts.");
        }
    }

    /// <summary>The locks <see cref="ILockStore.FindAsync"/> returns for <paramref name="path"/>.</summary>
    protected async Task<IReadOnlyList<ActiveLock>> FindAsync(string path, bool includeDescendants = false, DateTimeOffset? now = null) =>
        await Locks.FindAsync(DavPath.Parse(path), includeDescendants, now ?? Now, CancellationToken.None);

    /// <summary>The lock <see cref="ILockStore.GetAsync"/> returns for <paramref name="token"/>.</summary>
    protected async Task<ActiveLock?> GetAsync(string token, DateTimeOffset? now = null) =>
        await Locks.GetAsync(token, now ?? Now, CancellationToken.None);

    /// <summary>Asserts that <paramref name="actual"/> holds exactly <paramref name="expected"/>, each once, in any
    /// order, field for field.</summary>
    protected static void AssertLocks(IEnumerable<ActiveLock> expected, IEnumerable<ActiveLock> actual)
    {
        Assert.Equal(
            expected.OrderBy(l => l.Token, StringComparer.Ordinal),
            actual.OrderBy(l => l.Token, StringComparer.Ordinal));
    }
}
