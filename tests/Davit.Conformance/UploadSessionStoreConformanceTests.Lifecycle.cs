using Davit.Storage;
using Davit.Uploads;

namespace Davit.Conformance;

public abstract partial class UploadSessionStoreConformanceTests
{
    [Fact]
    public async Task A_New_Session_Has_No_Bytes_And_Is_Returned_By_Get()
    {
        var expires = Now + TimeSpan.FromMinutes(42);

        var session = await CreateAsync("docs/report.pdf", 1234, "application/pdf", Now, expires);

        Assert.Matches("^[A-Za-z0-9-]+$", session.Id);
        Assert.Equal(DavPath.Parse("docs/report.pdf"), session.Path);
        Assert.Equal(0, session.BytesSaved);
        Assert.Equal(1234, session.TotalLength);
        Assert.Equal("application/pdf", session.ContentType);
        Assert.Equal(Now, session.CreatedUtc);
        Assert.Equal(Now, session.LastChunkSavedUtc);
        Assert.Equal(expires, session.ExpiresUtc);
        Assert.False(session.IsComplete);
        await AssertSavedAsync(session, []);
    }

    [Fact]
    public async Task A_Session_With_Neither_Total_Nor_Content_Type_Keeps_Them_Null()
    {
        var session = await CreateAsync("a");

        Assert.Null(session.TotalLength);
        Assert.Null(session.ContentType);
        Assert.Equal(session, await GetAsync("a"));
    }

    [Fact]
    public async Task Get_Finds_Only_The_Exact_Path()
    {
        await CreateAsync("a/b");

        Assert.Null(await GetAsync("a"));
        Assert.Null(await GetAsync("a/b/c"));
        Assert.Null(await GetAsync("a/B"));
        Assert.Null(await GetAsync("b"));
        Assert.NotNull(await GetAsync("a/b"));
    }

    [Fact]
    public async Task Creating_A_Session_Replaces_The_Old_One_And_Discards_Its_Bytes()
    {
        var old = await CreateAsync("a.bin", 100, "text/plain");
        await WriteAsync(old, 0, TestBytes.Random(60));
        var later = Now + TimeSpan.FromMinutes(1);

        var replacement = await CreateAsync("a.bin", 50, "image/png", later);

        Assert.NotEqual(old.Id, replacement.Id);
        Assert.Equal(0, replacement.BytesSaved);
        Assert.Equal(50, replacement.TotalLength);
        Assert.Equal("image/png", replacement.ContentType);
        Assert.Equal(later, replacement.CreatedUtc);
        AssertSessions([replacement], await ListAsync(""));
        await AssertSavedAsync(replacement, []);

        var bytes = TestBytes.Random(50, seed: 2);
        var written = await WriteAsync(replacement, 0, bytes, 50, now: later);
        await AssertSavedAsync(written, bytes);
    }

    [Fact]
    public async Task Every_Session_Gets_A_New_Id()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(ids.Add((await CreateAsync("same")).Id));
            Assert.True(ids.Add((await CreateAsync($"other{i}")).Id));
        }
    }

    [Fact]
    public async Task A_Deleted_Session_Is_Gone_And_Deleting_It_Again_Is_No_Error()
    {
        var session = await WriteAsync(await CreateAsync("a/b"), 0, TestBytes.Random(1000));

        await Sessions.DeleteAsync(session, CancellationToken.None);
        await Sessions.DeleteAsync(session, CancellationToken.None);

        Assert.Null(await GetAsync("a/b"));
        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task Deleting_A_Replaced_Session_Leaves_Its_Successor_Alone()
    {
        var old = await CreateAsync("a");
        var successor = await WriteAsync(await CreateAsync("a"), 0, TestBytes.Utf8("new"));

        await Sessions.DeleteAsync(old, CancellationToken.None);

        await AssertSavedAsync(successor, TestBytes.Utf8("new"));
    }

    [Fact]
    public async Task A_Session_Can_Be_Started_Again_After_It_Was_Deleted()
    {
        var first = await WriteAsync(await CreateAsync("a"), 0, TestBytes.Uniform(10, 1));
        await Sessions.DeleteAsync(first, CancellationToken.None);

        var second = await CreateAsync("a");

        Assert.NotEqual(first.Id, second.Id);
        await AssertSavedAsync(second, []);
    }

    [Fact]
    public async Task The_Total_Length_Is_Null_Until_A_Write_Gives_It_And_Then_Kept()
    {
        var bytes = TestBytes.Random(30);
        var session = await CreateAsync("a");

        session = await WriteAsync(session, 0, bytes[..10], totalLength: null);
        Assert.Null(session.TotalLength);
        Assert.False(session.IsComplete);
        Assert.Equal(session, await GetAsync("a"));

        session = await WriteAsync(session, 10, bytes[10..20], totalLength: 30);
        Assert.Equal(30, session.TotalLength);
        Assert.False(session.IsComplete);
        Assert.Equal(session, await GetAsync("a"));

        session = await WriteAsync(session, 20, bytes[20..], totalLength: 30);
        Assert.Equal(30, session.TotalLength);
        Assert.True(session.IsComplete);
        await AssertSavedAsync(session, bytes);
    }

    [Fact]
    public async Task A_Known_Total_Given_At_Creation_Makes_The_Session_Complete_When_Every_Byte_Is_Saved()
    {
        var bytes = TestBytes.Random(100);
        var session = await CreateAsync("a", totalLength: 100);

        session = await WriteAsync(session, 0, bytes, totalLength: 100);

        Assert.True(session.IsComplete);
        await AssertSavedAsync(session, bytes);
    }
}
