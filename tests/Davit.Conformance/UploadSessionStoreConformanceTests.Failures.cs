namespace Davit.Conformance;

public abstract partial class UploadSessionStoreConformanceTests
{
    [Fact]
    public async Task A_Body_That_Breaks_Off_Keeps_The_Bytes_That_Arrived_And_The_Upload_Resumes_From_There()
    {
        var head = TestBytes.Random(1000, seed: 1);
        var rest = TestBytes.Random(500_000, seed: 2);
        var session = await WriteAsync(await CreateAsync("a", totalLength: 501_000), 0, head, totalLength: 501_000);
        var later = Now + TimeSpan.FromMinutes(1);

        await using (var body = new FailingStream(rest, failAfter: 300_001))
        {
            var thrown = await Assert.ThrowsAsync<IOException>(() => WriteAsync(session, 1000, body, 501_000, now: later));
            Assert.Equal("The test body failed on purpose.", thrown.Message);
        }

        var kept = await GetAsync("a", later);
        Assert.NotNull(kept);
        Assert.Equal(301_001, kept.BytesSaved);
        Assert.Equal(session.Id, kept.Id);
        Assert.Equal(501_000, kept.TotalLength);
        Assert.True(kept.ExpiresUtc > later);
        BytesAssert.Equal(Concat(head, rest[..300_001]), await ReadAllAsync(kept));

        var resumed = await WriteAsync(kept, kept.BytesSaved, rest[300_001..], 501_000, now: later);
        Assert.True(resumed.IsComplete);
        await AssertSavedAsync(resumed, Concat(head, rest));
    }

    [Fact]
    public async Task A_Body_That_Breaks_Off_At_Once_Keeps_The_Bytes_Saved_Before()
    {
        var head = TestBytes.Random(1000);
        var session = await WriteAsync(await CreateAsync("a"), 0, head);

        await using (var body = new FailingStream(TestBytes.Random(10), failAfter: 0))
        {
            await Assert.ThrowsAsync<IOException>(() => WriteAsync(session, 1000, body));
        }

        var kept = await GetAsync("a");
        Assert.NotNull(kept);
        Assert.Equal(1000, kept.BytesSaved);
        BytesAssert.Equal(head, await ReadAllAsync(kept));
    }

    [Fact]
    public async Task A_Rewrite_That_Breaks_Off_Ends_Where_Its_Bytes_Stopped()
    {
        var session = await WriteAsync(await CreateAsync("a"), 0, TestBytes.Uniform(1000, 0xAA));

        await using (var body = new FailingStream(TestBytes.Uniform(800, 0xBB), failAfter: 100))
        {
            await Assert.ThrowsAsync<IOException>(() => WriteAsync(session, 200, body));
        }

        var kept = await GetAsync("a");
        Assert.NotNull(kept);
        Assert.Equal(300, kept.BytesSaved);
        BytesAssert.Equal(Concat(TestBytes.Uniform(200, 0xAA), TestBytes.Uniform(100, 0xBB)), await ReadAllAsync(kept));
    }

    [Fact]
    public async Task A_Cancelled_Request_Keeps_The_Bytes_That_Arrived()
    {
        var content = TestBytes.Random(400_000);
        var session = await CreateAsync("a");
        using var cancellation = new CancellationTokenSource();

        await using (var body = new CancellingStream(content, cancelAfter: 250_000, cancellation))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => WriteAsync(session, 0, body, cancellationToken: cancellation.Token));
        }

        var kept = await GetAsync("a");
        Assert.NotNull(kept);
        Assert.Equal(250_000, kept.BytesSaved);
        BytesAssert.Equal(content[..250_000], await ReadAllAsync(kept));
    }

    [Fact]
    public async Task A_Body_That_Breaks_Off_Keeps_What_Arrived()
    {
        var session = await CreateAsync("a");
        var content = TestBytes.Random(600_000);

        await using (var body = new FailingStream(content, failAfter: 450_000))
        {
            await Assert.ThrowsAsync<IOException>(() => WriteAsync(session, 0, body));
        }

        var kept = await GetAsync("a");
        Assert.NotNull(kept);
        Assert.Equal(450_000, kept.BytesSaved);
        BytesAssert.Equal(content[..450_000], await ReadAllAsync(kept));
    }
}
