using Davit.Locking;

namespace Davit.Conformance;

public abstract partial class LockStoreConformanceTests
{
    [Fact]
    public async Task TryAdd_Without_Conflicts_Returns_Empty_And_Get_Returns_The_Lock_Field_For_Field()
    {
        var added = NewLock("a/b.txt", LockScope.Exclusive, LockDepth.Zero);

        Assert.Empty(await TryAddAsync(added));

        Assert.Equal(added, await GetAsync(added.Token));
        AssertLocks([added], await FindAsync("a/b.txt"));
    }

    [Fact]
    public async Task Null_Owner_And_Principal_Round_Trip_As_Null()
    {
        var added = NewLock("a") with { OwnerXml = null, Principal = null };

        await AddAsync(added);

        var stored = await GetAsync(added.Token);
        Assert.NotNull(stored);
        Assert.Null(stored.OwnerXml);
        Assert.Null(stored.Principal);
    }

    [Theory]
    [InlineData(LockScope.Exclusive, LockScope.Exclusive, LockDepth.Zero)]
    [InlineData(LockScope.Exclusive, LockScope.Exclusive, LockDepth.Infinity)]
    [InlineData(LockScope.Exclusive, LockScope.Shared, LockDepth.Zero)]
    [InlineData(LockScope.Shared, LockScope.Exclusive, LockDepth.Infinity)]
    public async Task A_Second_Lock_On_The_Same_Root_Conflicts_When_Either_Is_Exclusive(LockScope first, LockScope second, LockDepth depth)
    {
        var held = NewLock("doc.txt", first, depth);
        await AddAsync(held);

        var conflicts = await TryAddAsync(NewLock("doc.txt", second, depth));

        AssertLocks([held], conflicts);
    }

    [Fact]
    public async Task Shared_Locks_On_The_Same_Root_Coexist()
    {
        var shared = Enumerable.Range(0, 3).Select(_ => NewLock("doc.txt", LockScope.Shared, LockDepth.Zero)).ToArray();

        await AddAsync(shared);

        AssertLocks(shared, await FindAsync("doc.txt"));
    }

    [Theory]
    [InlineData(LockScope.Exclusive, LockScope.Exclusive)]
    [InlineData(LockScope.Shared, LockScope.Exclusive)]
    [InlineData(LockScope.Exclusive, LockScope.Shared)]
    public async Task A_Depth_Infinity_Lock_Conflicts_With_A_Later_Lock_Below_It(LockScope above, LockScope below)
    {
        var held = NewLock("a", above, LockDepth.Infinity);
        await AddAsync(held);

        AssertLocks([held], await TryAddAsync(NewLock("a/b/c", below, LockDepth.Zero)));
    }

    [Theory]
    [InlineData(LockScope.Exclusive, LockScope.Exclusive)]
    [InlineData(LockScope.Shared, LockScope.Exclusive)]
    [InlineData(LockScope.Exclusive, LockScope.Shared)]
    public async Task A_Lock_Below_Conflicts_With_A_Later_Depth_Infinity_Lock_Above_It(LockScope above, LockScope below)
    {
        var held = NewLock("a/b/c", below, LockDepth.Zero);
        await AddAsync(held);

        AssertLocks([held], await TryAddAsync(NewLock("a", above, LockDepth.Infinity)));
    }

    [Fact]
    public async Task Shared_Depth_Infinity_Lock_And_Shared_Lock_Below_It_Coexist()
    {
        var above = NewLock("a", LockScope.Shared, LockDepth.Infinity);
        var below = NewLock("a/b/c", LockScope.Shared, LockDepth.Infinity);

        await AddAsync(above, below);

        AssertLocks([above, below], await FindAsync("a/b/c"));
    }

    [Fact]
    public async Task A_Depth_Zero_Lock_Does_Not_Conflict_With_Exclusive_Locks_On_Its_Members_In_Either_Order()
    {
        var folder = NewLock("a", LockScope.Exclusive, LockDepth.Zero);
        var member = NewLock("a/b", LockScope.Exclusive, LockDepth.Infinity);
        var laterFolder = NewLock("x", LockScope.Exclusive, LockDepth.Zero);
        var earlierMember = NewLock("x/y/z", LockScope.Exclusive, LockDepth.Zero);

        await AddAsync(folder, member, earlierMember, laterFolder);

        AssertLocks([folder], await FindAsync("a"));
        AssertLocks([member], await FindAsync("a/b"));
        AssertLocks([laterFolder], await FindAsync("x"));
        AssertLocks([earlierMember], await FindAsync("x/y/z"));
    }

    [Fact]
    public async Task A_Lock_On_A_Name_Never_Conflicts_With_A_Sibling_That_Starts_With_That_Name()
    {
        var short1 = NewLock("a/b", LockScope.Exclusive, LockDepth.Infinity);
        var long1 = NewLock("a/bc", LockScope.Exclusive, LockDepth.Infinity);
        var long2 = NewLock("x/yz/w", LockScope.Exclusive, LockDepth.Infinity);
        var short2 = NewLock("x/y", LockScope.Exclusive, LockDepth.Infinity);

        await AddAsync(short1, long1, long2, short2);

        AssertLocks([short1], await FindAsync("a/b"));
        AssertLocks([long1], await FindAsync("a/bc"));
        AssertLocks([long1], await FindAsync("a/bc/d"));
        AssertLocks([short1], await FindAsync("a/b/c"));
        AssertLocks([short2], await FindAsync("x/y", includeDescendants: true));
        AssertLocks([long2], await FindAsync("x/yz", includeDescendants: true));
    }

    [Fact]
    public async Task A_Depth_Infinity_Lock_On_The_Root_Covers_And_Conflicts_With_Everything()
    {
        var everything = NewLock("", LockScope.Exclusive, LockDepth.Infinity);
        await AddAsync(everything);

        AssertLocks([everything], await TryAddAsync(NewLock("x/y/z", LockScope.Shared, LockDepth.Zero)));
        AssertLocks([everything], await TryAddAsync(NewLock("", LockScope.Exclusive, LockDepth.Zero)));
        AssertLocks([everything], await FindAsync("x/y/z"));
        AssertLocks([everything], await FindAsync(""));
    }

    [Fact]
    public async Task A_Depth_Infinity_Lock_On_The_Root_Conflicts_With_An_Earlier_Lock_Anywhere()
    {
        var deep = NewLock("x/y/z", LockScope.Exclusive, LockDepth.Zero);
        await AddAsync(deep);

        AssertLocks([deep], await TryAddAsync(NewLock("", LockScope.Shared, LockDepth.Infinity)));
    }

    [Fact]
    public async Task A_Depth_Zero_Lock_On_The_Root_Covers_Only_The_Root()
    {
        var rootOnly = NewLock("", LockScope.Exclusive, LockDepth.Zero);
        var member = NewLock("x", LockScope.Exclusive, LockDepth.Infinity);

        await AddAsync(rootOnly, member);

        AssertLocks([rootOnly], await FindAsync(""));
        AssertLocks([member], await FindAsync("x/y"));
    }

    [Fact]
    public async Task TryAdd_Returns_Every_Conflicting_Lock_And_Adds_Nothing()
    {
        var sharedAbove = NewLock("a", LockScope.Shared, LockDepth.Infinity);
        var sharedHere = NewLock("a/b", LockScope.Shared, LockDepth.Zero);
        var sharedBelow = NewLock("a/b/c", LockScope.Shared, LockDepth.Zero);
        var unrelated = NewLock("a/c", LockScope.Shared, LockDepth.Infinity);
        await AddAsync(sharedAbove, sharedHere, sharedBelow, unrelated);
        var refused = NewLock("a/b", LockScope.Exclusive, LockDepth.Infinity);

        var conflicts = await TryAddAsync(refused);

        AssertLocks([sharedAbove, sharedHere, sharedBelow], conflicts);
        Assert.Null(await GetAsync(refused.Token));
        AssertLocks([sharedAbove, sharedHere, sharedBelow], await FindAsync("a/b", includeDescendants: true));

        // Nothing of the refused lock stayed behind to conflict later.
        await AddAsync(NewLock("a/b/d", LockScope.Shared, LockDepth.Zero));
    }
}
