using Davit.Locking;

namespace Davit.Conformance;

public abstract partial class LockStoreConformanceTests
{
    [Fact]
    public async Task Find_Returns_The_Locks_Rooted_At_The_Path_And_The_Depth_Infinity_Locks_Above_It()
    {
        var rootZero = NewLock("", LockScope.Shared, LockDepth.Zero);
        var rootInfinity = NewLock("", LockScope.Shared, LockDepth.Infinity);
        var aInfinity = NewLock("a", LockScope.Shared, LockDepth.Infinity);
        var abZero = NewLock("a/b", LockScope.Shared, LockDepth.Zero);
        var abcZero = NewLock("a/b/c", LockScope.Shared, LockDepth.Zero);
        var abcInfinity = NewLock("a/b/c", LockScope.Shared, LockDepth.Infinity);
        var below = NewLock("a/b/c/d", LockScope.Shared, LockDepth.Infinity);
        var sibling = NewLock("a/b/cd", LockScope.Shared, LockDepth.Infinity);
        var elsewhere = NewLock("x", LockScope.Shared, LockDepth.Infinity);
        await AddAsync(rootZero, rootInfinity, aInfinity, abZero, abcZero, abcInfinity, below, sibling, elsewhere);

        AssertLocks([rootInfinity, aInfinity, abcZero, abcInfinity], await FindAsync("a/b/c"));
    }

    [Fact]
    public async Task Find_With_Descendants_Adds_Every_Lock_Rooted_Below_The_Path_Whatever_Its_Depth()
    {
        var aInfinity = NewLock("a", LockScope.Shared, LockDepth.Infinity);
        var abZero = NewLock("a/b", LockScope.Shared, LockDepth.Zero);
        var here = NewLock("a/b/c", LockScope.Shared, LockDepth.Zero);
        var childZero = NewLock("a/b/c/d", LockScope.Shared, LockDepth.Zero);
        var grandchildInfinity = NewLock("a/b/c/d/e", LockScope.Shared, LockDepth.Infinity);
        var sibling = NewLock("a/b/cd", LockScope.Shared, LockDepth.Infinity);
        var siblingChild = NewLock("a/b/cd/e", LockScope.Shared, LockDepth.Zero);
        await AddAsync(aInfinity, abZero, here, childZero, grandchildInfinity, sibling, siblingChild);

        AssertLocks([aInfinity, here, childZero, grandchildInfinity], await FindAsync("a/b/c", includeDescendants: true));
    }

    [Fact]
    public async Task Find_With_Descendants_On_An_Unlocked_Path_Returns_The_Locks_Below_It()
    {
        var child = NewLock("a/b/c", LockScope.Exclusive, LockDepth.Zero);
        var other = NewLock("a/x", LockScope.Exclusive, LockDepth.Zero);
        await AddAsync(child, other);

        Assert.Empty(await FindAsync("a/b"));
        AssertLocks([child], await FindAsync("a/b", includeDescendants: true));
    }

    [Fact]
    public async Task Find_With_Descendants_On_The_Root_Returns_Every_Lock()
    {
        var all = new[]
        {
            NewLock("", LockScope.Shared, LockDepth.Zero),
            NewLock("a", LockScope.Exclusive, LockDepth.Infinity),
            NewLock("b/c", LockScope.Exclusive, LockDepth.Zero),
            NewLock("b/c/d/e/f/g/h", LockScope.Exclusive, LockDepth.Zero),
        };
        await AddAsync(all);

        AssertLocks(all, await FindAsync("", includeDescendants: true));
    }

    [Fact]
    public async Task Find_Where_No_Lock_Is_Held_Returns_Empty()
    {
        Assert.Empty(await FindAsync(""));
        Assert.Empty(await FindAsync("", includeDescendants: true));

        await AddAsync(NewLock("a/b", LockScope.Exclusive, LockDepth.Infinity));

        Assert.Empty(await FindAsync("a"));
        Assert.Empty(await FindAsync("x", includeDescendants: true));
        Assert.Empty(await FindAsync("a/bb"));
    }

    [Fact]
    public async Task Find_Compares_Path_Segments_Exactly()
    {
        var composed = NewLock("docs/r\u00E9sum\u00E9.txt", LockScope.Exclusive, LockDepth.Infinity);
        await AddAsync(composed);

        // Another case and another Unicode normalisation are other names (DavPath segments are exact).
        Assert.Empty(await FindAsync("Docs/r\u00E9sum\u00E9.txt"));
        Assert.Empty(await FindAsync("docs/re\u0301sume\u0301.txt"));
        await AddAsync(NewLock("docs/re\u0301sume\u0301.txt", LockScope.Exclusive, LockDepth.Infinity));
        AssertLocks([composed], await FindAsync("docs/r\u00E9sum\u00E9.txt"));
    }
}
