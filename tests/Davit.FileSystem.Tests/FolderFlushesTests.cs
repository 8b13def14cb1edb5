using Davit.FileSystem.Disk;

namespace Davit.FileSystem.Tests;

/// <summary>Group commit of folder flushes: fewer fsyncs, never one that began before a writer's rename.</summary>
public sealed class FolderFlushesTests
{
    [Fact]
    public async Task Writers_Arriving_During_A_Flush_Share_The_Next_One_And_Wait_For_It()
    {
        var started = new List<int>();
        var first = new ManualResetEventSlim();
        var second = new ManualResetEventSlim();
        var flushes = new FolderFlushes(_ =>
        {
            int number;
            lock (started)
            {
                number = started.Count + 1;
                started.Add(number);
            }

            (number == 1 ? first : second).Wait(TimeSpan.FromSeconds(30));
        });

        var leader = Task.Run(async () => await flushes.FlushAsync("/f"));
        await WaitUntil(() => started.Count == 1);
        var later = Enumerable.Range(0, 3).Select(_ => Task.Run(async () => await flushes.FlushAsync("/f"))).ToList();
        await WaitUntil(() => flushes.Callers("/f") == 4); // the three are registered behind the running flush
        first.Set();
        await leader;
        await WaitUntil(() => started.Count == 2);

        Assert.All(later, task => Assert.False(task.IsCompleted)); // the first flush began before their renames
        second.Set();
        await Task.WhenAll(later);
        Assert.Equal([1, 2], started);
    }

    [Fact]
    public async Task A_Failed_Flush_Fails_Its_Caller_And_The_Next_Caller_Flushes_Again()
    {
        var calls = 0;
        var flushes = new FolderFlushes(_ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new IOException("fsync failed");
            }
        });

        await Assert.ThrowsAsync<IOException>(async () => await flushes.FlushAsync("/f"));
        await flushes.FlushAsync("/f");

        Assert.Equal(2, calls);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
