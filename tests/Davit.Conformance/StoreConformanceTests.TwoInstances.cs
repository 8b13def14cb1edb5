using System.Xml.Linq;
using Davit.Locking;
using Davit.Storage;

namespace Davit.Conformance;

// Two instances over one storage stand for two processes or two nodes: what one writes the other sees, conditional
// writes race to exactly one winner, and a lock taken through one counts for the other.
public abstract partial class StoreConformanceTests
{
    private const int Rounds = 20;

    /// <summary>
    /// Opens a second instance of the store over the same storage as <paramref name="first"/>, as a second process or
    /// node would (a new store object over the same folder, the same database, the same shared state). The suite
    /// disposes it.
    /// </summary>
    protected abstract ValueTask<IDavStore> OpenSecondInstanceAsync(IDavStore first);

    [Fact]
    public async Task What_One_Instance_Writes_The_Other_Sees()
    {
        await using var second = new Instance(await OpenSecondInstanceAsync(Store));
        var other = second.Store;
        await Store.CreateFolderAsync("shared");
        var file = await Store.CreateFileAsync("shared/a.txt", TestBytes.Utf8("from A"));
        await file.SetPropertiesAsync(new XElement(Test + "p", "set through A"));

        BytesAssert.Equal(TestBytes.Utf8("from A"), await other.ReadFileAsync("shared/a.txt"));
        Assert.Equal("set through A", (await (await other.GetFileAsync("shared/a.txt")).GetPropertyAsync(Test + "p"))!.Element.Value);

        await (await other.GetFileAsync("shared/a.txt")).WriteBytesAsync(TestBytes.Utf8("from B"));
        await StoreTrees.MoveAsync(await other.GetFileAsync("shared/a.txt"), await other.GetFolderAsync(""), "b.txt", null, new TreeErrors(), CancellationToken.None);

        Assert.Null(await Store.GetAsync("shared/a.txt"));
        BytesAssert.Equal(TestBytes.Utf8("from B"), await Store.ReadFileAsync("b.txt"));
        Assert.Equal("set through A", (await (await Store.GetFileAsync("b.txt")).GetPropertyAsync(Test + "p"))!.Element.Value);
    }

    [Fact]
    public async Task Conditional_Writes_Through_Two_Instances_Race_And_Exactly_One_Wins()
    {
        await using var second = new Instance(await OpenSecondInstanceAsync(Store));
        var file = await Store.CreateFileAsync("contested.bin", TestBytes.Uniform(10_000, 0));
        var etag = file.ETag;
        for (var round = 1; round <= Rounds; round++)
        {
            var stores = new[] { Store, second.Store };
            var outcomes = await Task.WhenAll(stores.Select((store, i) => Task.Run(() =>
                TryInWriteAsync(store, async context =>
                {
                    var current = (IFile)(await store.GetHierarchyItemAsync(DavPath.Parse("contested.bin"), context, CancellationToken.None))!;
                    await current.WriteAsync(FileContent.FromStream(new MemoryStream(TestBytes.Uniform(10_000, (byte)(round * 2 + i))), 10_000, null), etag, CancellationToken.None);
                }))));

            var winners = outcomes.Count(o => o is null);
            Assert.True(winners == 1, $"Round {round}: {winners} writers won ({string.Join(", ", outcomes.Select(o => o?.ToString() ?? "won"))}).");
            Assert.All(outcomes.OfType<StoreError>(), error => Assert.Equal(StoreError.ChangedMeanwhile, error));
            var winner = Array.FindIndex(outcomes, o => o is null);
            Assert.Equal((byte)(round * 2 + winner), BytesAssert.Uniform(await second.Store.ReadFileAsync("contested.bin")));
            etag = (await Store.GetFileAsync("contested.bin")).ETag;
        }
    }

    [Fact]
    public async Task Creates_Through_Two_Instances_Race_And_Exactly_One_Wins()
    {
        await using var second = new Instance(await OpenSecondInstanceAsync(Store));
        for (var round = 1; round <= Rounds; round++)
        {
            var name = $"new-{round}.bin";
            var stores = new[] { Store, second.Store };
            var outcomes = await Task.WhenAll(stores.Select((store, i) => Task.Run(() =>
                TryInWriteAsync(store, async context =>
                {
                    var root = (IFolder)(await store.GetHierarchyItemAsync(DavPath.Root, context, CancellationToken.None))!;
                    await root.CreateFileAsync(name, FileContent.FromStream(new MemoryStream(TestBytes.Uniform(1000, (byte)(i + 1))), 1000, null), CancellationToken.None);
                }))));

            Assert.Single(outcomes, o => o is null);
            Assert.All(outcomes.OfType<StoreError>(), error => Assert.Equal(StoreError.AlreadyExists, error));
            Assert.Equal((byte)(Array.FindIndex(outcomes, o => o is null) + 1), BytesAssert.Uniform(await Store.ReadFileAsync(name)));
        }
    }

    [Fact]
    public async Task A_Lock_Taken_Through_One_Instance_Conflicts_Through_The_Other()
    {
        if (Store is not ILockStore locks)
        {
            return; // the store keeps no locks of its own; the engine's lock store is then not the store's to share
        }

        await using var second = new Instance(await OpenSecondInstanceAsync(Store));
        var otherLocks = Assert.IsAssignableFrom<ILockStore>(second.Store);
        var now = DateTimeOffset.UtcNow;
        var held = new ActiveLock("urn:uuid:" + Guid.NewGuid(), DavPath.Parse("a.txt"), LockScope.Exclusive, LockDepth.Zero, null, null, TimeSpan.FromMinutes(5), now.AddMinutes(5));
        Assert.Empty(await locks.TryAddAsync(held, now, CancellationToken.None));

        var rival = held with { Token = "urn:uuid:" + Guid.NewGuid() };
        Assert.Equal([held.Token], (await otherLocks.TryAddAsync(rival, now, CancellationToken.None)).Select(l => l.Token));
        Assert.Equal(held.Token, (await otherLocks.GetAsync(held.Token, now, CancellationToken.None))?.Token);
        Assert.True(await otherLocks.RemoveAsync(held.Token, now, CancellationToken.None));
        Assert.Empty(await locks.FindAsync(DavPath.Parse("a.txt"), false, now, CancellationToken.None));
    }

    // Runs work in a write unit of work of store; null when it committed, else the outcome the store reported.
    private static async Task<StoreError?> TryInWriteAsync(IDavStore store, Func<StoreContext, Task> work)
    {
        try
        {
            await store.InWriteAsync(work);
            return null;
        }
        catch (StoreException ex)
        {
            return ex.Error;
        }
    }

    private sealed class Instance(IDavStore store) : IAsyncDisposable
    {
        public IDavStore Store { get; } = store;

        public ValueTask DisposeAsync() => Disposal.DisposeIfDisposableAsync(Store);
    }
}
