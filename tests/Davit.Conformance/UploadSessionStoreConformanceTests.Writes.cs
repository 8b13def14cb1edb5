using Davit.Uploads;

namespace Davit.Conformance;

public abstract partial class UploadSessionStoreConformanceTests
{
    [Fact]
    public async Task Writes_In_Order_Append_And_Each_Returns_The_Saved_Session()
    {
        var parts = new[] { TestBytes.Random(100, 1), TestBytes.Random(1, 2), TestBytes.Random(5000, 3) };
        var session = await CreateAsync("a.bin", totalLength: 5101);
        long offset = 0;

        for (var i = 0; i < parts.Length; i++)
        {
            var at = Now + TimeSpan.FromSeconds(i + 1);
            var expires = at + TimeSpan.FromMinutes(30);

            var written = await WriteAsync(session, offset, parts[i], totalLength: 5101, now: at, expiresUtc: expires);

            offset += parts[i].Length;
            Assert.Equal(session.Id, written.Id);
            Assert.Equal(session.Path, written.Path);
            Assert.Equal(offset, written.BytesSaved);
            Assert.Equal(5101, written.TotalLength);
            Assert.Equal(session.CreatedUtc, written.CreatedUtc);
            Assert.Equal(at, written.LastChunkSavedUtc);
            Assert.Equal(expires, written.ExpiresUtc);
            Assert.Equal(written, await GetAsync("a.bin", at));
            session = written;
        }

        await AssertSavedAsync(session, Concat(parts));
    }

    [Fact]
    public async Task A_Write_Over_Saved_Bytes_Rewrites_Them_And_Ends_Where_It_Ends()
    {
        var session = await WriteAsync(await CreateAsync("a"), 0, TestBytes.Uniform(1000, 0xAA));

        session = await WriteAsync(session, 200, TestBytes.Uniform(300, 0xBB));

        Assert.Equal(500, session.BytesSaved);
        await AssertSavedAsync(session, Concat(TestBytes.Uniform(200, 0xAA), TestBytes.Uniform(300, 0xBB)));

        // The bytes once saved past the new end must not come back when the upload grows again.
        session = await WriteAsync(session, 500, TestBytes.Uniform(700, 0xCC));
        await AssertSavedAsync(session, Concat(TestBytes.Uniform(200, 0xAA), TestBytes.Uniform(300, 0xBB), TestBytes.Uniform(700, 0xCC)));
    }

    [Fact]
    public async Task An_Empty_Write_At_Offset_Zero_Leaves_No_Bytes()
    {
        var session = await WriteAsync(await CreateAsync("a"), 0, TestBytes.Random(4096));
        var later = Now + TimeSpan.FromMinutes(5);

        session = await WriteAsync(session, 0, [], now: later);

        Assert.Equal(0, session.BytesSaved);
        Assert.Equal(later, session.LastChunkSavedUtc);
        await AssertSavedAsync(session, []);
    }

    [Fact]
    public async Task An_Empty_Write_At_The_End_Changes_Only_Times()
    {
        var bytes = TestBytes.Random(64);
        var session = await WriteAsync(await CreateAsync("a"), 0, bytes);
        var later = Now + TimeSpan.FromMinutes(5);

        var written = await WriteAsync(session, 64, [], now: later, expiresUtc: later + TimeSpan.FromDays(1));

        Assert.Equal(session with { LastChunkSavedUtc = later, ExpiresUtc = later + TimeSpan.FromDays(1) }, written);
        await AssertSavedAsync(written, bytes);
    }

    [Fact]
    public async Task Three_MiB_Written_In_Seven_Uneven_Segments_Read_Back_Exactly()
    {
        var content = TestBytes.Random(3 * 1024 * 1024, seed: 7);
        int[] lengths = [1, 65_535, 131_073, 1_000_000, 7, 524_288];
        var session = await CreateAsync("big/three.bin", totalLength: content.Length);
        var offset = 0;

        foreach (var length in lengths.Append(content.Length - lengths.Sum()))
        {
            // Bodies arrive in pieces of every size, none aligned with a buffer.
            var maxPerRead = 1 + (length % 40_000);
            session = await WriteAsync(session, offset, content[offset..(offset + length)], content.Length, maxPerRead: maxPerRead);
            offset += length;
            Assert.Equal(offset, session.BytesSaved);
        }

        Assert.True(session.IsComplete);
        await AssertSavedAsync(session, content);
    }

    [Fact]
    public async Task Writes_That_Are_Not_Durable_Are_Saved_All_The_Same()
    {
        var content = TestBytes.Random(300_000);
        var session = await CreateAsync("a");

        session = await WriteAsync(session, 0, content[..100_000]);
        session = await WriteAsync(session, 100_000, content[100_000..]);

        await AssertSavedAsync(session, content);
    }

    [Fact]
    public async Task Truncate_Discards_The_Bytes_Past_The_New_Length()
    {
        var content = TestBytes.Random(1000);
        var session = await WriteAsync(await CreateAsync("a"), 0, content);

        var truncated = await Sessions.TruncateAsync(session, 400, CancellationToken.None);

        Assert.Equal(session with { BytesSaved = 400 }, truncated);
        await AssertSavedAsync(truncated, content[..400]);

        // What follows is appended to the kept bytes, with nothing of the discarded ones in between.
        var tail = TestBytes.Uniform(100, 0x55);
        var written = await WriteAsync(truncated, 400, tail);
        await AssertSavedAsync(written, Concat(content[..400], tail));
    }

    [Fact]
    public async Task Truncate_To_Zero_And_To_The_Saved_Length()
    {
        var content = TestBytes.Random(1000);
        var session = await WriteAsync(await CreateAsync("a"), 0, content);

        var unchanged = await Sessions.TruncateAsync(session, 1000, CancellationToken.None);
        Assert.Equal(session, unchanged);
        await AssertSavedAsync(unchanged, content);

        var emptied = await Sessions.TruncateAsync(unchanged, 0, CancellationToken.None);
        Assert.Equal(0, emptied.BytesSaved);
        await AssertSavedAsync(emptied, []);
    }

    [Fact]
    public async Task A_Write_Still_Running_Shows_Its_Progress_To_Get_Within_Seconds()
    {
        var session = await CreateAsync("a", totalLength: 1_000_000);
        var content = TestBytes.Random(1_000_000, seed: 3);
        var body = new PausingStream(content, pauseAt: 600_000);
        var writing = Task.Run(async () => await WriteAsync(session, 0, body, 1_000_000));
        await body.Paused.WaitAsync(TimeSpan.FromSeconds(30));

        // The body is stalled at 600,000 bytes; the store publishes what it has saved without waiting for more.
        UploadSession? seen = null;
        for (var i = 0; i < 100 && seen is not { BytesSaved: > 0 }; i++)
        {
            seen = await GetAsync("a");
            await Task.Delay(100);
        }

        Assert.NotNull(seen);
        Assert.InRange(seen.BytesSaved, 1, 600_000);
        Assert.Equal(session.Id, seen.Id);

        body.Resume();
        var finished = await writing;
        Assert.Equal(1_000_000, finished.BytesSaved);
        await AssertSavedAsync(finished, content);
    }
}
