using Davit.Locking;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class LockStoreConformanceTests
{
    [Fact]
    public async Task Refresh_Returns_The_Lock_With_The_New_Timeout_And_Expiry_And_Every_Other_Field_Unchanged()
    {
        var held = NewLock("a/b", LockScope.Shared, LockDepth.Zero, TimeSpan.FromSeconds(30));
        await AddAsync(held);
        var at = Now + TimeSpan.FromSeconds(20);
        var expected = held with { Timeout = TimeSpan.FromMinutes(5), ExpiresUtc = at + TimeSpan.FromMinutes(5) };

        var refreshed = await Locks.RefreshAsync(held.Token, expected.Timeout, expected.ExpiresUtc, at, CancellationToken.None);

        Assert.Equal(expected, refreshed);
        Assert.Equal(expected, await GetAsync(held.Token, at));
        AssertLocks([expected], await FindAsync("a/b", now: at));
    }

    [Fact]
    public async Task A_Refreshed_Lock_Outlives_Its_Old_Expiry_And_Still_Conflicts()
    {
        var held = NewLock("a", LockScope.Exclusive, LockDepth.Infinity, TimeSpan.FromSeconds(30));
        await AddAsync(held);
        var newExpiry = Now + TimeSpan.FromHours(1);
        await Locks.RefreshAsync(held.Token, TimeSpan.FromHours(1), newExpiry, Now, CancellationToken.None);
        var afterOldExpiry = held.ExpiresUtc + TimeSpan.FromMinutes(1);

        var stored = await GetAsync(held.Token, afterOldExpiry);
        Assert.Equal(newExpiry, stored?.ExpiresUtc);
        Assert.Single(await TryAddAsync(NewLock("a/b"), afterOldExpiry));
        Assert.Null(await GetAsync(held.Token, newExpiry));
    }

    [Fact]
    public async Task Refresh_Can_Make_A_Lock_Infinite()
    {
        var held = NewLock("a", timeout: TimeSpan.FromSeconds(30));
        await AddAsync(held);

        var refreshed = await Locks.RefreshAsync(held.Token, Timeout.InfiniteTimeSpan, DateTimeOffset.MaxValue, Now, CancellationToken.None);

        var expected = held with { Timeout = Timeout.InfiniteTimeSpan, ExpiresUtc = DateTimeOffset.MaxValue };
        Assert.Equal(expected, refreshed);
        Assert.Equal(expected, await GetAsync(held.Token, Now + TimeSpan.FromDays(3650)));
    }

    [Fact]
    public async Task Refresh_Of_An_Unknown_Token_Returns_Null()
    {
        await AddAsync(NewLock("a"));

        Assert.Null(await Locks.RefreshAsync(NewToken(), DefaultTimeout, Now + DefaultTimeout, Now, CancellationToken.None));
    }

    [Fact]
    public async Task Remove_Returns_True_Once_Then_False_And_Frees_The_Path()
    {
        var held = NewLock("a", LockScope.Exclusive, LockDepth.Infinity);
        await AddAsync(held);

        Assert.True(await Locks.RemoveAsync(held.Token, Now, CancellationToken.None));
        Assert.False(await Locks.RemoveAsync(held.Token, Now, CancellationToken.None));

        Assert.Null(await GetAsync(held.Token));
        Assert.Empty(await FindAsync("a/b"));
        await AddAsync(NewLock("a/b", LockScope.Exclusive, LockDepth.Zero));
    }

    [Fact]
    public async Task Remove_Of_An_Unknown_Token_Returns_False()
    {
        await AddAsync(NewLock("a"));

        Assert.False(await Locks.RemoveAsync(NewToken(), Now, CancellationToken.None));
        Assert.Single(await FindAsync("a"));
    }

    [Fact]
    public async Task Removing_One_Shared_Lock_Leaves_The_Others()
    {
        var shared = Enumerable.Range(0, 3).Select(_ => NewLock("a", LockScope.Shared, LockDepth.Infinity)).ToArray();
        await AddAsync(shared);

        Assert.True(await Locks.RemoveAsync(shared[1].Token, Now, CancellationToken.None));

        AssertLocks([shared[0], shared[2]], await FindAsync("a"));
        Assert.NotEmpty(await TryAddAsync(NewLock("a/b")));
    }

    [Fact]
    public async Task RemoveTree_Removes_The_Locks_Rooted_At_The_Path_And_Below_It_Only()
    {
        var rootInfinity = NewLock("", LockScope.Shared, LockDepth.Infinity);
        var parent = NewLock("p", LockScope.Shared, LockDepth.Zero);
        var here = NewLock("p/a", LockScope.Shared, LockDepth.Zero);
        var child = NewLock("p/a/b", LockScope.Shared, LockDepth.Infinity);
        var grandchild = NewLock("p/a/b/c", LockScope.Shared, LockDepth.Zero);
        var sibling = NewLock("p/ab", LockScope.Shared, LockDepth.Infinity);
        var cousin = NewLock("p/x/a", LockScope.Shared, LockDepth.Infinity);
        await AddAsync(rootInfinity, parent, here, child, grandchild, sibling, cousin);

        await Locks.RemoveTreeAsync(DavPath.Parse("p/a"), CancellationToken.None);

        foreach (var gone in new[] { here, child, grandchild })
        {
            Assert.Null(await GetAsync(gone.Token));
        }

        AssertLocks([rootInfinity, parent, sibling, cousin], await FindAsync("", includeDescendants: true));
        AssertLocks([rootInfinity], await FindAsync("p/a/b/c", includeDescendants: true));
        await AddAsync(NewLock("p/a/b", LockScope.Shared, LockDepth.Zero));
    }

    [Fact]
    public async Task RemoveTree_Of_The_Root_Removes_Every_Lock()
    {
        var all = new[] { NewLock("", LockScope.Shared, LockDepth.Zero), NewLock("a"), NewLock("b/c/d") };
        await AddAsync(all);

        await Locks.RemoveTreeAsync(DavPath.Root, CancellationToken.None);

        Assert.Empty(await FindAsync("", includeDescendants: true));
        foreach (var gone in all)
        {
            Assert.Null(await GetAsync(gone.Token));
        }

        await AddAsync(NewLock("", LockScope.Exclusive, LockDepth.Infinity));
    }

    [Fact]
    public async Task RemoveTree_Where_No_Lock_Is_Held_Changes_Nothing()
    {
        var held = NewLock("a/b", LockScope.Exclusive, LockDepth.Infinity);
        await AddAsync(held);

        await Locks.RemoveTreeAsync(DavPath.Parse("a/bc"), CancellationToken.None);
        await Locks.RemoveTreeAsync(DavPath.Parse("x/y"), CancellationToken.None);

        Assert.Equal(held, await GetAsync(held.Token));
    }
}
