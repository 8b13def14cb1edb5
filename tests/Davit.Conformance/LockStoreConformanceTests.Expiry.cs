using Davit.Locking;

namespace Davit.Conformance;

public abstract partial class LockStoreConformanceTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task A_Lock_Is_Returned_Until_The_Instant_It_Expires_And_Never_From_Then_On()
    {
        var expiring = NewLock("a", LockScope.Exclusive, LockDepth.Infinity, TimeSpan.FromSeconds(30));
        await AddAsync(expiring);
        var lastMoment = expiring.ExpiresUtc - Tick;

        // Earlier instants first: a store may reclaim a lock as soon as it has seen it expire.
        Assert.Equal(expiring, await GetAsync(expiring.Token, lastMoment));
        AssertLocks([expiring], await FindAsync("a/b", now: lastMoment));

        Assert.Empty(await FindAsync("a", now: expiring.ExpiresUtc));
        Assert.Empty(await FindAsync("a/b", now: expiring.ExpiresUtc));
        Assert.Empty(await FindAsync("", includeDescendants: true, now: expiring.ExpiresUtc));
        Assert.Null(await GetAsync(expiring.Token, expiring.ExpiresUtc));
        Assert.Null(await GetAsync(expiring.Token, expiring.ExpiresUtc.AddDays(1)));
    }

    [Fact]
    public async Task An_Expired_Lock_Does_Not_Conflict()
    {
        var expiring = NewLock("a", LockScope.Exclusive, LockDepth.Infinity, TimeSpan.FromSeconds(30));
        await AddAsync(expiring);
        var later = expiring.ExpiresUtc;
        var successors = new[]
        {
            NewLock("a", LockScope.Exclusive, LockDepth.Zero, TimeSpan.FromHours(1)),
            NewLock("a/b/c", LockScope.Exclusive, LockDepth.Zero, TimeSpan.FromHours(1)),
        };

        foreach (var successor in successors)
        {
            Assert.Empty(await TryAddAsync(successor, later));
        }

        AssertLocks(successors, await FindAsync("a", includeDescendants: true, now: later));
    }

    [Fact]
    public async Task Expired_Locks_Above_And_Below_Are_Left_Out_Of_Find_And_Of_Conflicts()
    {
        var above = NewLock("a", LockScope.Shared, LockDepth.Infinity, TimeSpan.FromSeconds(30));
        var below = NewLock("a/b/c/d", LockScope.Shared, LockDepth.Zero, TimeSpan.FromSeconds(30));
        var lasting = NewLock("a/b/c/e", LockScope.Shared, LockDepth.Zero, TimeSpan.FromHours(1));
        await AddAsync(above, below, lasting);
        var later = Now + TimeSpan.FromMinutes(1);

        AssertLocks([lasting], await FindAsync("a/b", includeDescendants: true, now: later));
        AssertLocks([lasting], await TryAddAsync(NewLock("a/b", LockScope.Exclusive, LockDepth.Infinity), later));
    }

    [Fact]
    public async Task An_Expired_Lock_Can_Be_Neither_Refreshed_Nor_Removed()
    {
        var expiring = NewLock("a", LockScope.Exclusive, LockDepth.Zero, TimeSpan.FromSeconds(30));
        await AddAsync(expiring);
        var later = expiring.ExpiresUtc;

        Assert.Null(await Locks.RefreshAsync(expiring.Token, TimeSpan.FromHours(1), later + TimeSpan.FromHours(1), later, CancellationToken.None));
        Assert.False(await Locks.RemoveAsync(expiring.Token, later, CancellationToken.None));
        Assert.Null(await GetAsync(expiring.Token, later));
    }

    [Fact]
    public async Task A_Lock_With_An_Infinite_Timeout_Never_Expires()
    {
        var forever = NewInfiniteLock("a", LockScope.Exclusive, LockDepth.Infinity);
        await AddAsync(forever);
        var farFuture = DateTimeOffset.MaxValue - TimeSpan.FromDays(1);

        var stored = await GetAsync(forever.Token, farFuture);
        Assert.Equal(forever, stored);
        Assert.Equal(Timeout.InfiniteTimeSpan, stored?.Timeout);
        Assert.Equal(DateTimeOffset.MaxValue, stored?.ExpiresUtc);
        AssertLocks([forever], await FindAsync("a/b", now: farFuture));
        AssertLocks([forever], await TryAddAsync(NewLock("a/b"), farFuture));
    }
}
