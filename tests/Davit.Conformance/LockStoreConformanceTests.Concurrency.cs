using Davit.Locking;

namespace Davit.Conformance;

public abstract partial class LockStoreConformanceTests
{
    [Fact]
    public async Task Parallel_Exclusive_TryAdds_On_One_Path_Let_Exactly_One_Succeed()
    {
        var contenders = Enumerable.Range(0, 32).Select(_ => NewLock("contested", LockScope.Exclusive, LockDepth.Zero)).ToArray();

        var outcomes = await AddAllAtOnceAsync(contenders);

        var winner = Assert.Single(contenders.Where((_, i) => outcomes[i].Count == 0));
        Assert.All(outcomes.Where(o => o.Count > 0), conflicts => AssertLocks([winner], conflicts));
        AssertLocks([winner], await FindAsync("contested"));
    }

    [Fact]
    public async Task Parallel_Shared_TryAdds_On_One_Path_All_Succeed()
    {
        var sharers = Enumerable.Range(0, 32).Select(_ => NewLock("contested", LockScope.Shared, LockDepth.Infinity)).ToArray();

        var outcomes = await AddAllAtOnceAsync(sharers);

        Assert.All(outcomes, Assert.Empty);
        AssertLocks(sharers, await FindAsync("contested"));
    }

    [Fact]
    public async Task Parallel_TryAdds_Above_And_Below_Never_Leave_Two_Conflicting_Locks()
    {
        // Even contenders lock the folder with depth infinity, odd ones a member each: either one folder lock wins,
        // or member locks do and every folder lock fails.
        var contenders = Enumerable.Range(0, 32)
            .Select(i => i % 2 == 0 ? NewLock("p", LockScope.Exclusive, LockDepth.Infinity) : NewLock($"p/m{i}/x", LockScope.Exclusive, LockDepth.Zero))
            .ToArray();

        var outcomes = await AddAllAtOnceAsync(contenders);

        var held = contenders.Where((_, i) => outcomes[i].Count == 0).ToList();
        Assert.NotEmpty(held);
        foreach (var a in held)
        {
            Assert.DoesNotContain(held, b => !ReferenceEquals(a, b) && a.ConflictsWith(b));
        }

        for (var i = 0; i < contenders.Length; i++)
        {
            Assert.All(outcomes[i], conflict => Assert.Contains(conflict, held));
            Assert.All(outcomes[i], conflict => Assert.True(conflict.ConflictsWith(contenders[i])));
        }

        AssertLocks(held, await FindAsync("p", includeDescendants: true));
    }

    [Fact]
    public async Task Parallel_Lock_And_Unlock_On_Distinct_Paths_Always_Succeed_And_Leave_Nothing()
    {
        // What litmus lockbomb does: many clients locking and unlocking files of their own, over and over.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < 200; round++)
            {
                var held = NewLock($"bomb/w{worker}-r{round}", LockScope.Exclusive, LockDepth.Zero);
                Assert.Empty(await Locks.TryAddAsync(held, Now, CancellationToken.None));
                Assert.Equal(held, await Locks.GetAsync(held.Token, Now, CancellationToken.None));
                Assert.True(await Locks.RemoveAsync(held.Token, Now, CancellationToken.None));
            }
        })));

        Assert.Empty(await FindAsync("", includeDescendants: true));
    }

    [Fact]
    public async Task A_Thousand_Locks_On_Distinct_Files_Are_Each_Found_Alone()
    {
        var all = Enumerable.Range(0, 1000)
            .Select(i => NewLock($"d{i % 10}/f{i}.txt", LockScope.Exclusive, LockDepth.Zero))
            .ToArray();
        await AddAsync(all);

        foreach (var held in all)
        {
            AssertLocks([held], await FindAsync(held.Root.ToString()));
            Assert.Equal(held, await GetAsync(held.Token));
        }

        Assert.Equal(100, (await FindAsync("d3", includeDescendants: true)).Count);
        Assert.Equal(1000, (await FindAsync("", includeDescendants: true)).Count);
    }

    /// <summary>Starts a <see cref="ILockStore.TryAddAsync"/> for each lock on the thread pool, releases them
    /// together, and returns each one's conflicts, in the order of <paramref name="contenders"/>.</summary>
    private async Task<IReadOnlyList<ActiveLock>[]> AddAllAtOnceAsync(ActiveLock[] contenders)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = contenders.Select(contender => Task.Run(async () =>
        {
            await start.Task;
            return await Locks.TryAddAsync(contender, Now, CancellationToken.None);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(attempts);
    }
}
