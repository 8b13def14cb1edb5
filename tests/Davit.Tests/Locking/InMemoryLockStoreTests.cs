using Davit.Locking;
using Davit.Storage;

namespace Davit.Tests.Locking;

/// <summary>What the in-memory lock store promises beyond the conformance suite.</summary>
public sealed class InMemoryLockStoreTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryLockStore store = new();

    [Fact]
    public async Task Expired_Locks_Are_Reclaimed_When_Looked_Up()
    {
        var expiring = NewLock("a/b", TimeSpan.FromSeconds(30));
        var lasting = NewLock("a", TimeSpan.FromHours(1), LockDepth.Zero);
        await store.TryAddAsync(expiring, Now, CancellationToken.None);
        await store.TryAddAsync(lasting, Now, CancellationToken.None);
        var later = Now + TimeSpan.FromMinutes(1);

        await store.FindAsync(DavPath.Parse("a/b"), includeDescendants: false, later, CancellationToken.None);

        Assert.Equal(1, store.Count);
        Assert.Null(await store.GetAsync(lasting.Token, Now + TimeSpan.FromDays(1), CancellationToken.None));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Expired_Locks_Nobody_Looks_Up_Are_Reclaimed_As_Locks_Are_Added()
    {
        for (var i = 0; i < 300; i++)
        {
            await store.TryAddAsync(NewLock($"old/f{i}", TimeSpan.FromSeconds(30)), Now, CancellationToken.None);
        }

        var later = Now + TimeSpan.FromMinutes(1);
        for (var i = 0; i < 300; i++)
        {
            await store.TryAddAsync(NewLock($"new/f{i}", TimeSpan.FromHours(1)), later, CancellationToken.None);
        }

        Assert.InRange(store.Count, 300, 599);
    }

    [Fact]
    public async Task Adding_A_Second_Lock_With_A_Held_Token_Throws()
    {
        var held = NewLock("a", TimeSpan.FromHours(1));
        await store.TryAddAsync(held, Now, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.TryAddAsync(held with { Root = DavPath.Parse("b") }, Now, CancellationToken.None));
        Assert.Equal(held, await store.GetAsync(held.Token, Now, CancellationToken.None));
    }

    [Fact]
    public async Task The_Token_Of_An_Expired_Lock_May_Be_Added_Again()
    {
        var expired = NewLock("a", TimeSpan.FromSeconds(30));
        await store.TryAddAsync(expired, Now, CancellationToken.None);
        var later = Now + TimeSpan.FromMinutes(1);
        var again = expired with { Root = DavPath.Parse("b"), ExpiresUtc = later + TimeSpan.FromHours(1) };

        Assert.Empty(await store.TryAddAsync(again, later, CancellationToken.None));

        Assert.Equal(again, await store.GetAsync(again.Token, later, CancellationToken.None));
        Assert.Empty(await store.FindAsync(DavPath.Parse("a"), includeDescendants: true, later, CancellationToken.None));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task A_Cancelled_Call_Throws_And_Adds_Nothing()
    {
        var held = NewLock("a", TimeSpan.FromHours(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await store.TryAddAsync(held, Now, new CancellationToken(canceled: true)));

        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task RemoveTree_Forgets_The_Tokens_Of_The_Removed_Locks()
    {
        await store.TryAddAsync(NewLock("a", TimeSpan.FromHours(1), LockDepth.Zero), Now, CancellationToken.None);
        await store.TryAddAsync(NewLock("a/b/c", TimeSpan.FromHours(1)), Now, CancellationToken.None);
        await store.TryAddAsync(NewLock("x", TimeSpan.FromHours(1)), Now, CancellationToken.None);

        await store.RemoveTreeAsync(DavPath.Parse("a"), CancellationToken.None);

        Assert.Equal(1, store.Count);
    }

    private static ActiveLock NewLock(string root, TimeSpan timeout, LockDepth depth = LockDepth.Infinity) =>
        new("urn:uuid:" + Guid.NewGuid().ToString("D"), DavPath.Parse(root), LockScope.Exclusive, depth, null, null, timeout, Now + timeout);
}
