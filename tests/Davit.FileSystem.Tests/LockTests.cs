using Davit.Locking;
using Davit.Storage;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem.Tests;

/// <summary>What the shared lock-store suite cannot see: persistence, several stores over one database, the schema.</summary>
public sealed class LockTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const int Rounds = 25;

    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    private string DatabasePath => Path.Combine(bed.Root, ".davit", "davit.db");

    [Fact]
    public async Task Locks_Survive_A_New_Store_Over_The_Same_Folder()
    {
        var timed = NewLock("a/b", LockScope.Shared, LockDepth.Zero, TimeSpan.FromMinutes(5)) with { OwnerXml = null, Principal = null };
        var infinite = NewLock("c", LockScope.Shared, timeout: Timeout.InfiniteTimeSpan);
        var atRoot = NewLock("", LockScope.Shared);
        foreach (var held in new[] { timed, infinite, atRoot })
        {
            Assert.Empty(await bed.Store.TryAddAsync(held, Now, default));
        }

        bed.Restart();

        Assert.Equal(timed, await bed.Store.GetAsync(timed.Token, Now, default));
        Assert.Equal(infinite, await bed.Store.GetAsync(infinite.Token, Now, default));
        Assert.Equal(DateTimeOffset.MaxValue, (await bed.Store.GetAsync(infinite.Token, Now, default))!.ExpiresUtc);
        Assert.Equal(atRoot, await bed.Store.GetAsync(atRoot.Token, Now, default));
        AssertSame([timed, atRoot], await bed.Store.FindAsync(DavPath.Parse("a/b"), false, Now, default));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(500)]
    public async Task Locks_On_The_Ancestors_Of_A_Path_Are_Found_At_Any_Depth(int depth)
    {
        // Shallow paths list their ancestors for the index; deep ones are matched by prefix instead.
        var path = string.Join('/', Enumerable.Repeat("d", depth));
        var parent = DavPath.Parse(path).Parent.ToString();
        var covering = NewLock("d", LockScope.Shared);
        var atRoot = NewLock("", LockScope.Shared);
        var notCovering = NewLock(parent, LockScope.Shared, LockDepth.Zero);
        var sibling = NewLock("e", LockScope.Shared);
        var lookalike = NewLock(parent + "d", LockScope.Shared);
        foreach (var held in new[] { covering, atRoot, notCovering, sibling, lookalike })
        {
            Assert.Empty(await bed.Store.TryAddAsync(held, Now, default));
        }

        AssertSame([covering, atRoot], await bed.Store.FindAsync(DavPath.Parse(path), false, Now, default));

        // An exclusive lock there conflicts with every shared lock above it (of depth infinity).
        AssertSame([covering, atRoot], await bed.Store.TryAddAsync(NewLock(path), Now, default));
        AssertSame([sibling, atRoot], await bed.Store.FindAsync(DavPath.Parse("e/" + path), false, Now, default));
    }

    [Fact]
    public async Task Expired_Locks_Vanish_Before_And_After_A_Restart()
    {
        var brief = NewLock("a", timeout: TimeSpan.FromSeconds(30));
        var infinite = NewLock("b", timeout: Timeout.InfiniteTimeSpan);
        Assert.Empty(await bed.Store.TryAddAsync(brief, Now, default));
        Assert.Empty(await bed.Store.TryAddAsync(infinite, Now, default));
        var later = Now.AddSeconds(30);

        Assert.Equal(brief, await bed.Store.GetAsync(brief.Token, later.AddTicks(-1), default));
        Assert.Null(await bed.Store.GetAsync(brief.Token, later, default));
        bed.Restart();
        Assert.Null(await bed.Store.GetAsync(brief.Token, later, default));
        Assert.Empty(await bed.Store.FindAsync(DavPath.Parse("a"), true, later, default));
        Assert.Null(await bed.Store.RefreshAsync(brief.Token, TimeSpan.FromHours(1), later.AddHours(1), later, default));
        Assert.False(await bed.Store.RemoveAsync(brief.Token, later, default));
        Assert.Equal(infinite, await bed.Store.GetAsync(infinite.Token, DateTimeOffset.MaxValue.AddTicks(-1), default));

        // Adding purges: the expired row is gone from the table, not merely hidden.
        Assert.Empty(await bed.Store.TryAddAsync(NewLock("a"), later, default));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM locks;"));
    }

    [Fact]
    public async Task A_Refresh_Survives_A_Restart()
    {
        var held = NewLock("a", timeout: TimeSpan.FromMinutes(1));
        Assert.Empty(await bed.Store.TryAddAsync(held, Now, default));

        var refreshed = await bed.Store.RefreshAsync(held.Token, TimeSpan.FromHours(2), Now.AddHours(2), Now.AddSeconds(59), default);
        bed.Restart();

        Assert.Equal(held with { Timeout = TimeSpan.FromHours(2), ExpiresUtc = Now.AddHours(2) }, refreshed);
        Assert.Equal(refreshed, await bed.Store.GetAsync(held.Token, Now.AddHours(1), default));
    }

    [Fact]
    public async Task Sixteen_Parallel_Conflicting_Exclusive_Locks_Let_Exactly_One_Win()
    {
        // Many rounds: the window between reading the candidates and inserting is short, and one race rarely hits it.
        for (var round = 0; round < Rounds; round++)
        {
            var path = $"contested/{round}";
            var contenders = Enumerable.Range(0, 16).Select(_ => NewLock(path)).ToArray();

            var outcomes = await RaceAsync(contenders.Select(c => (bed.Store, c)));

            var winner = Assert.Single(contenders.Where((_, i) => outcomes[i].Count == 0));
            Assert.All(outcomes.Where(o => o.Count > 0), conflicts => AssertSame([winner], conflicts));
            AssertSame([winner], await bed.Store.FindAsync(DavPath.Parse(path), true, Now, default));
        }
    }

    [Fact]
    public async Task Two_Stores_Over_One_Folder_Racing_Let_Exactly_One_Win()
    {
        // Two instances, as two server processes would have: each with its own connections to the one database.
        using var other = new FileSystemStore(new FileSystemStoreOptions { Root = bed.Root });
        for (var round = 0; round < Rounds; round++)
        {
            var path = $"a/{round}";
            var contenders = Enumerable.Range(0, 16).Select(i => (Store: i % 2 == 0 ? bed.Store : other, Lock: NewLock(path))).ToArray();

            var outcomes = await RaceAsync(contenders);

            var winner = Assert.Single(contenders.Where((_, i) => outcomes[i].Count == 0)).Lock;
            AssertSame([winner], await other.FindAsync(DavPath.Parse(path), false, Now, default));
            AssertSame([winner], await bed.Store.FindAsync(DavPath.Parse(path), false, Now, default));
        }
    }

    [Fact]
    public async Task Two_Stores_Racing_For_A_Folder_And_Its_Members_Never_Both_Win()
    {
        using var other = new FileSystemStore(new FileSystemStoreOptions { Root = bed.Root });
        // Exclusive depth-infinity locks on the folder against shared locks on members: either one folder lock wins
        // and no member lock, or member locks win and no folder lock.
        var contenders = Enumerable.Range(0, 16)
            .Select(i => (Store: i % 2 == 0 ? bed.Store : other,
                Lock: i % 4 < 2 ? NewLock("p") : NewLock($"p/m{i}", LockScope.Shared, LockDepth.Zero)))
            .ToArray();

        var outcomes = await RaceAsync(contenders);

        var held = contenders.Where((_, i) => outcomes[i].Count == 0).Select(c => c.Lock).ToList();
        Assert.NotEmpty(held);
        Assert.DoesNotContain(held, a => held.Any(b => !ReferenceEquals(a, b) && a.ConflictsWith(b)));
        AssertSame(held, await other.FindAsync(DavPath.Parse("p"), true, Now, default));
    }

    [Fact]
    public async Task TryAdd_Waits_For_Another_Writer_And_Then_Sees_Its_Lock()
    {
        var foreign = NewLock("a");
        var mine = NewLock("a/b");
        Task<IReadOnlyList<ActiveLock>> attempt;

        // A connection of its own, outside the store's pool, as another process would have.
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO locks (token, root, scope, depth, owner_xml, principal, timeout, expires) " +
                "VALUES ($t, 'a', 'exclusive', 'infinity', $o, 'alice', 600, $e);";
            insert.Parameters.AddWithValue("$t", foreign.Token);
            insert.Parameters.AddWithValue("$o", foreign.OwnerXml);
            insert.Parameters.AddWithValue("$e", foreign.ExpiresUtc.UtcTicks);
            await insert.ExecuteNonQueryAsync();

            attempt = Task.Run(async () => await bed.Store.TryAddAsync(mine, Now, default));
            await Task.Delay(300);
            Assert.False(attempt.IsCompleted);
            await transaction.CommitAsync();
        }

        AssertSame([foreign], await attempt);
        Assert.Null(await bed.Store.GetAsync(mine.Token, Now, default));
    }

    [Fact]
    public async Task RemoveTree_Removes_The_Subtree_And_Not_A_Sibling_Sharing_The_Prefix()
    {
        var locks = new[] { "a/b", "a/b/c", "a/b/c/d", "a/bc", "a/b-c", "a/b.c", "a", "" }
            .Select(root => NewLock(root, LockScope.Shared, LockDepth.Zero))
            .ToArray();
        foreach (var held in locks)
        {
            Assert.Empty(await bed.Store.TryAddAsync(held, Now, default));
        }

        await bed.Store.RemoveTreeAsync(DavPath.Parse("a/b"), default);

        AssertSame(locks.Where(l => l.Root.ToString() is "a/bc" or "a/b-c" or "a/b.c" or "a" or ""),
            await bed.Store.FindAsync(DavPath.Root, true, Now, default));
    }

    [Fact]
    public async Task Find_Sees_Infinite_Locks_On_Every_Ancestor_Including_The_Root_And_Not_Zero_Depth_Ones()
    {
        var rootInfinite = NewLock("", LockScope.Shared);
        var rootZero = NewLock("", LockScope.Shared, LockDepth.Zero);
        var parentInfinite = NewLock("x/y", LockScope.Shared);
        var parentZero = NewLock("x/y", LockScope.Shared, LockDepth.Zero);
        var self = NewLock("x/y/z", LockScope.Shared, LockDepth.Zero);
        var below = NewLock("x/y/z/w", LockScope.Shared, LockDepth.Zero);
        var prefixSibling = NewLock("x/y/zz", LockScope.Shared);
        foreach (var held in new[] { rootInfinite, rootZero, parentInfinite, parentZero, self, below, prefixSibling })
        {
            Assert.Empty(await bed.Store.TryAddAsync(held, Now, default));
        }

        var path = DavPath.Parse("x/y/z");
        AssertSame([rootInfinite, parentInfinite, self], await bed.Store.FindAsync(path, false, Now, default));
        AssertSame([rootInfinite, parentInfinite, self, below], await bed.Store.FindAsync(path, true, Now, default));
        AssertSame([rootInfinite, rootZero], await bed.Store.FindAsync(DavPath.Root, false, Now, default));
    }

    [Fact]
    public async Task A_Schema_1_Database_Is_Migrated_And_Keeps_Its_Properties()
    {
        using var old = new StoreTestBed();
        old.Store.Dispose();
        var database = Path.Combine(old.Root, ".davit", "davit.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            // Exactly what the first release created.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE properties (path TEXT NOT NULL, name TEXT NOT NULL, xml TEXT NOT NULL, PRIMARY KEY (path, name)) WITHOUT ROWID;
                INSERT INTO properties VALUES ('a.txt', '{urn:test}color', '<color xmlns="urn:test">red</color>');
                PRAGMA user_version = 1;
                """;
            await command.ExecuteNonQueryAsync();
        }

        File.WriteAllText(old.OnDisk("a.txt"), "a");
        old.Restart();

        var file = Assert.IsAssignableFrom<IDeadProperties>(await old.GetAsync("a.txt"));
        Assert.Equal("red", Assert.Single(await file.GetPropertiesAsync(null, default)).Element.Value);
        var held = NewLock("a.txt");
        Assert.Empty(await old.Store.TryAddAsync(held, Now, default));
        old.Restart();
        Assert.Equal(held, await old.Store.GetAsync(held.Token, Now, default));
        Assert.Equal(5L, await ScalarAsync("PRAGMA user_version;", database));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM journal;", database));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM hashes;", database));
    }

    [Fact]
    public void A_Database_From_A_Newer_Schema_Is_Refused()
    {
        bed.Store.Dispose();
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(bed.Restart);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    private static ActiveLock NewLock(string root, LockScope scope = LockScope.Exclusive, LockDepth depth = LockDepth.Infinity, TimeSpan? timeout = null)
    {
        var granted = timeout ?? TimeSpan.FromMinutes(10);
        return new ActiveLock(
            "urn:uuid:" + Guid.NewGuid().ToString("D"),
            DavPath.Parse(root),
            scope,
            depth,
            "<D:owner xmlns:D=\"DAV:\"><D:href>mailto:alice@example.com</D:href></D:owner>",
            "alice",
            granted,
            granted == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : Now + granted);
    }

    /// <summary>Releases every TryAdd at once on the thread pool; returns each one's conflicts, in order.</summary>
    private static async Task<IReadOnlyList<ActiveLock>[]> RaceAsync(IEnumerable<(FileSystemStore Store, ActiveLock Lock)> contenders)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = contenders.Select(c => Task.Run(async () =>
        {
            await start.Task;
            return await c.Store.TryAddAsync(c.Lock, Now, default);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(attempts);
    }

    private static void AssertSame(IEnumerable<ActiveLock> expected, IEnumerable<ActiveLock> actual) =>
        Assert.Equal(expected.OrderBy(l => l.Token, StringComparer.Ordinal), actual.OrderBy(l => l.Token, StringComparer.Ordinal));

    private async Task<long> ScalarAsync(string sql, string? database = null)
    {
        await using var connection = new SqliteConnection($"Data Source={database ?? DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
