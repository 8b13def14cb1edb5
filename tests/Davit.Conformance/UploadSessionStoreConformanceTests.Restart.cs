using Davit.Storage;
using Davit.Uploads;

namespace Davit.Conformance;

public abstract partial class UploadSessionStoreConformanceTests
{
    [Fact]
    public async Task Every_Durable_Session_And_Its_Bytes_Survive_A_Restart()
    {
        var content = TestBytes.Random(700_000, seed: 4);
        var empty = await CreateAsync("empty", totalLength: 10, contentType: "text/plain");
        var appended = await CreateAsync("dir/appended.bin", contentType: "application/octet-stream");
        appended = await WriteAsync(appended, 0, content[..200_000]);
        appended = await WriteAsync(appended, 200_000, content[200_000..], totalLength: content.Length);
        var rewritten = await WriteAsync(await CreateAsync("dir/rewritten"), 0, TestBytes.Uniform(5000, 0xAA));
        rewritten = await WriteAsync(rewritten, 1000, TestBytes.Uniform(10, 0xBB));
        var truncated = await WriteAsync(await CreateAsync("dir/sub/truncated"), 0, content[..50_000]);
        truncated = await Sessions.TruncateAsync(truncated, 20_000, CancellationToken.None);
        var broken = await CreateAsync("broken");
        await using (var body = new FailingStream(content, failAfter: 123_457))
        {
            await Assert.ThrowsAsync<IOException>(() => WriteAsync(broken, 0, body));
        }

        broken = (await GetAsync("broken"))!;
        var lasting = new[] { empty, appended, rewritten, truncated, broken };

        await RestartAsync();

        AssertSessions(lasting, await ListAsync(""));
        await AssertSavedAsync(empty, []);
        await AssertSavedAsync(appended, content);
        await AssertSavedAsync(rewritten, Concat(TestBytes.Uniform(1000, 0xAA), TestBytes.Uniform(10, 0xBB)));
        await AssertSavedAsync(truncated, content[..20_000]);
        await AssertSavedAsync(broken, content[..123_457]);
        Assert.True(appended.IsComplete);
    }

    [Fact]
    public async Task An_Upload_Resumes_After_A_Restart()
    {
        var content = TestBytes.Random(1_000_000, seed: 5);
        var session = await WriteAsync(await CreateAsync("resumed.iso", totalLength: content.Length), 0, content[..400_000], content.Length);

        await RestartAsync();
        var found = await GetAsync("resumed.iso");
        Assert.Equal(session, found);
        var later = Now + TimeSpan.FromMinutes(3);
        session = await WriteAsync(found!, found!.BytesSaved, content[400_000..], content.Length, now: later);

        Assert.True(session.IsComplete);
        Assert.Equal(later, session.LastChunkSavedUtc);
        await AssertSavedAsync(session, content);

        await RestartAsync();
        await AssertSavedAsync(session, content);
    }

    [Fact]
    public async Task Deleted_And_Replaced_Sessions_Stay_Gone_After_A_Restart()
    {
        var deleted = await WriteAsync(await CreateAsync("deleted"), 0, TestBytes.Random(100));
        await Sessions.DeleteAsync(deleted, CancellationToken.None);
        await WriteAsync(await CreateAsync("replaced"), 0, TestBytes.Random(100));
        var replacement = await WriteAsync(await CreateAsync("replaced"), 0, TestBytes.Utf8("second"));

        await RestartAsync();

        Assert.Null(await GetAsync("deleted"));
        AssertSessions([replacement], await ListAsync(""));
        await AssertSavedAsync(replacement, TestBytes.Utf8("second"));
    }

    [Fact]
    public async Task Sessions_That_Expire_While_The_Server_Is_Down_Are_Reclaimed_After_The_Restart()
    {
        var expiring = await WriteAsync(await CreateAsync("old", expiresUtc: Now + TimeSpan.FromMinutes(1)), 0, TestBytes.Random(1000), expiresUtc: Now + TimeSpan.FromMinutes(1));
        var lasting = await CreateAsync("new", expiresUtc: Now + TimeSpan.FromDays(1));

        await RestartAsync();
        var later = Now + TimeSpan.FromHours(1);

        Assert.Null(await GetAsync("old", later));
        AssertSessions([expiring], await Sessions.DeleteExpiredAsync(later, CancellationToken.None));
        AssertSessions([lasting], await ListAsync("", Now));
    }

    [Fact]
    public async Task Unusual_Names_Survive_A_Restart_Exactly()
    {
        var created = new List<UploadSession>();
        foreach (var name in UnusualNames)
        {
            created.Add(await WriteAsync(await CreateAsync(DavPath.Root.Append(name).Append(name)), 0, TestBytes.Utf8(name)));
        }

        await RestartAsync();

        foreach (var session in created)
        {
            var found = await Sessions.GetAsync(session.Path, Now, CancellationToken.None);
            Assert.Equal(session, found);
            await AssertSavedAsync(session, TestBytes.Utf8(session.Path.Name));
        }
    }

    [Fact]
    public async Task Extreme_Times_And_Lengths_Survive_A_Restart()
    {
        var never = await CreateAsync("never", totalLength: long.MaxValue, now: DateTimeOffset.UnixEpoch, expiresUtc: DateTimeOffset.MaxValue);
        var precise = await CreateAsync("precise", now: Now + TimeSpan.FromTicks(1234567), expiresUtc: Now + TimeSpan.FromTicks(7654321));
        var offset = await CreateAsync("offset", now: new DateTimeOffset(2024, 6, 1, 9, 30, 0, TimeSpan.FromHours(5.5)));

        await RestartAsync();

        Assert.Equal(never, await GetAsync("never", DateTimeOffset.MaxValue - TimeSpan.FromDays(1)));
        Assert.Equal(precise, await GetAsync("precise"));
        Assert.Equal(offset, await GetAsync("offset"));
    }
}
