using Davit.Storage;
using Davit.Uploads;

namespace Davit.Conformance;

// Two instances over one storage stand for two processes or nodes: a segment may land on either, progress shows on
// both, and one session never has two writers at once.
public abstract partial class UploadSessionStoreConformanceTests
{
    /// <summary>Opens a second instance over the same storage as <paramref name="first"/> (another process, another
    /// node). The suite disposes it.</summary>
    protected abstract ValueTask<IUploadSessionStore> OpenSecondInstanceAsync(IUploadSessionStore first);

    [Fact]
    public async Task A_Session_Written_Through_One_Instance_Is_Continued_Through_The_Other()
    {
        var other = await OpenSecondInstanceAsync(Sessions);
        try
        {
            var content = TestBytes.Random(900_000, seed: 7);
            var session = await WriteAsync(await CreateAsync("relay.bin", totalLength: content.Length), 0, content[..300_000], content.Length);

            var seen = await other.GetAsync(session.Path, Now, CancellationToken.None);
            Assert.Equal(session, seen);
            await using (var body = new TrickleStream(content[300_000..600_000], 16 * 1024))
            {
                seen = await other.WriteAsync(seen!, 300_000, body, content.Length, new ManualTimeProvider(Now), Lifetime, CancellationToken.None);
            }

            Assert.Equal(seen, await GetAsync("relay.bin"));
            session = await WriteAsync(seen, 600_000, content[600_000..], content.Length);
            Assert.True(session.IsComplete);
            await AssertSavedAsync(session, content);
        }
        finally
        {
            await Disposal.DisposeIfDisposableAsync(other);
        }
    }

    [Fact]
    public async Task Two_Writers_Through_Two_Instances_The_Second_Is_Refused_And_Nothing_Interleaves()
    {
        var other = await OpenSecondInstanceAsync(Sessions);
        try
        {
            var first = TestBytes.Uniform(1_000_000, 0x11);
            var session = await CreateAsync("contested.bin", totalLength: first.Length);
            var body = new PausingStream(first, pauseAt: 400_000);
            var writing = Task.Run(async () => await WriteAsync(session, 0, body, first.Length));
            await body.Paused.WaitAsync(TimeSpan.FromSeconds(30));

            await using (var rival = new TrickleStream(TestBytes.Uniform(1_000_000, 0x22), 16 * 1024))
            {
                var refused = await Assert.ThrowsAnyAsync<StoreException>(async () =>
                    await other.WriteAsync(session, 0, rival, first.Length, new ManualTimeProvider(Now), Lifetime, CancellationToken.None));
                Assert.Equal(StoreError.Busy, refused.Error);
            }

            body.Resume();
            var finished = await writing;
            await AssertSavedAsync(finished, first);
        }
        finally
        {
            await Disposal.DisposeIfDisposableAsync(other);
        }
    }

    [Fact]
    public async Task A_Running_Write_Through_One_Instance_Shows_Its_Progress_Through_The_Other()
    {
        var other = await OpenSecondInstanceAsync(Sessions);
        try
        {
            var content = TestBytes.Random(1_000_000, seed: 8);
            var session = await CreateAsync("watched.bin", totalLength: content.Length);
            var body = new PausingStream(content, pauseAt: 700_000);
            var writing = Task.Run(async () => await WriteAsync(session, 0, body, content.Length));
            await body.Paused.WaitAsync(TimeSpan.FromSeconds(30));

            UploadSession? seen = null;
            for (var i = 0; i < 100 && seen is not { BytesSaved: > 0 }; i++)
            {
                seen = await other.GetAsync(session.Path, Now, CancellationToken.None);
                await Task.Delay(100);
            }

            Assert.NotNull(seen);
            Assert.InRange(seen.BytesSaved, 1, 700_000);
            Assert.Contains(seen, await other.ListAsync(DavPath.Root, Now, CancellationToken.None));

            body.Resume();
            Assert.Equal(content.Length, (await writing).BytesSaved);
        }
        finally
        {
            await Disposal.DisposeIfDisposableAsync(other);
        }
    }
}
