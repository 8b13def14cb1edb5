namespace Davit.Conformance;

public abstract partial class UploadSessionStoreConformanceTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task A_Session_Is_Returned_Until_The_Instant_It_Expires_And_Never_From_Then_On()
    {
        var session = await CreateAsync("a/b", expiresUtc: Now + TimeSpan.FromMinutes(10));
        var lastMoment = session.ExpiresUtc - Tick;

        // Earlier instants first: a store may reclaim a session as soon as it has seen it expire.
        Assert.Equal(session, await GetAsync("a/b", lastMoment));
        AssertSessions([session], await ListAsync("a", lastMoment));

        Assert.Null(await GetAsync("a/b", session.ExpiresUtc));
        Assert.Empty(await ListAsync("a", session.ExpiresUtc));
        Assert.Empty(await ListAsync("", session.ExpiresUtc.AddDays(1)));
        Assert.Null(await GetAsync("a/b", session.ExpiresUtc.AddDays(1)));
    }

    [Fact]
    public async Task A_Write_Moves_The_Expiry_On()
    {
        var session = await CreateAsync("a", expiresUtc: Now + TimeSpan.FromMinutes(10));
        var later = Now + TimeSpan.FromMinutes(5);

        var written = await WriteAsync(session, 0, TestBytes.Random(10), now: later, expiresUtc: later + TimeSpan.FromHours(2));

        Assert.Equal(written, await GetAsync("a", session.ExpiresUtc));
        Assert.Empty(await Sessions.DeleteExpiredAsync(session.ExpiresUtc, CancellationToken.None));
        Assert.Null(await GetAsync("a", written.ExpiresUtc));
    }

    [Fact]
    public async Task Delete_Expired_Removes_And_Returns_Only_The_Expired_Sessions()
    {
        var soon = Now + TimeSpan.FromMinutes(10);
        var first = await WriteAsync(await CreateAsync("a/first", expiresUtc: soon), 0, TestBytes.Random(5000), expiresUtc: soon);
        var second = await CreateAsync("b/second", expiresUtc: soon - TimeSpan.FromMinutes(1));
        var lasting = await WriteAsync(await CreateAsync("a/lasting"), 0, TestBytes.Utf8("still here"));

        var deleted = await Sessions.DeleteExpiredAsync(soon, CancellationToken.None);

        AssertSessions([first, second], deleted);

        // Gone for good, not just hidden: asking as of an earlier instant does not bring them back.
        Assert.Null(await GetAsync("a/first", Now));
        Assert.Null(await GetAsync("b/second", Now));
        AssertSessions([lasting], await ListAsync("", Now));
        Assert.Empty(await Sessions.DeleteExpiredAsync(soon, CancellationToken.None));
        await AssertSavedAsync(lasting, TestBytes.Utf8("still here"));
    }

    [Fact]
    public async Task Delete_Expired_With_Nothing_Expired_Deletes_Nothing()
    {
        var session = await CreateAsync("a");

        Assert.Empty(await Sessions.DeleteExpiredAsync(Now, CancellationToken.None));
        Assert.Empty(await Sessions.DeleteExpiredAsync(session.ExpiresUtc - Tick, CancellationToken.None));
        Assert.Equal(session, await GetAsync("a"));
    }

    [Fact]
    public async Task A_Path_Whose_Session_Expired_Can_Start_A_New_One()
    {
        var expired = await WriteAsync(await CreateAsync("a", expiresUtc: Now + TimeSpan.FromMinutes(1)), 0, TestBytes.Random(100), expiresUtc: Now + TimeSpan.FromMinutes(1));
        var later = expired.ExpiresUtc + TimeSpan.FromMinutes(1);

        var fresh = await CreateAsync("a", now: later);

        Assert.NotEqual(expired.Id, fresh.Id);
        Assert.Equal(fresh, await GetAsync("a", later));
        Assert.Empty(await Sessions.DeleteExpiredAsync(later, CancellationToken.None));
        Assert.Empty(await ReadAllAsync(fresh));
    }
}
