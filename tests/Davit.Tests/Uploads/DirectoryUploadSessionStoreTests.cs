using System.Text.Json;
using Davit.Conformance;
using Davit.Storage;
using Davit.Uploads;

namespace Davit.Tests.Uploads;

/// <summary>What the conformance suite cannot see: the files of <see cref="DirectoryUploadSessionStore"/>, and how it
/// tidies a folder left behind by a crash.</summary>
public sealed class DirectoryUploadSessionStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Now + TimeSpan.FromHours(1);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "davit-uploads-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_Files_On_Disk_Are_Exactly_Id_Data_And_Id_Json_For_Each_Session()
    {
        using var store = new DirectoryUploadSessionStore(folder);
        var appended = await WriteAsync(store, await CreateAsync(store, "a/b.txt"), 0, TestBytes.Random(300_000));
        var rewritten = await WriteAsync(store, await CreateAsync(store, "a/c.txt"), 0, TestBytes.Random(5000));
        rewritten = await WriteAsync(store, rewritten, 100, TestBytes.Random(10));
        var truncated = await store.TruncateAsync(await WriteAsync(store, await CreateAsync(store, "t"), 0, TestBytes.Random(900)), 33, CancellationToken.None);
        var broken = await CreateAsync(store, "broken");
        await Assert.ThrowsAsync<IOException>(async () => await store.WriteAsync(broken, 0, new FailingStream(TestBytes.Random(500_000), 200_000), null, Now, Later, true, null, CancellationToken.None));
        broken = (await store.GetAsync(broken.Path, Now, CancellationToken.None))!;
        var replaced = await WriteAsync(store, await CreateAsync(store, "r"), 0, TestBytes.Random(100));
        var replacement = await CreateAsync(store, "r");
        var deleted = await WriteAsync(store, await CreateAsync(store, "d"), 0, TestBytes.Random(100));
        await store.DeleteAsync(deleted, CancellationToken.None);
        var live = new[] { appended, rewritten, truncated, broken, replacement };

        var expected = live.SelectMany(s => new[] { s.Id + ".data", s.Id + ".json" }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, FileNames());
        foreach (var session in live)
        {
            Assert.Matches("^[0-9a-f]{32}$", session.Id);
            Assert.Equal(session.BytesSaved, new FileInfo(Path.Join(folder, session.Id + ".data")).Length);
        }

        Assert.Equal(110, rewritten.BytesSaved);
        Assert.Equal(200_000, broken.BytesSaved);
        Assert.DoesNotContain(replaced.Id + ".data", FileNames());
    }

    [Fact]
    public async Task The_Record_Keeps_The_Path_As_Its_Segments()
    {
        using var store = new DirectoryUploadSessionStore(folder);
        var path = DavPath.Root.Append("a b").Append("c%2Fd").Append("caf\u00E9");
        var session = await store.CreateAsync(path, 10, "text/plain", Now, Later, CancellationToken.None);

        using var record = JsonDocument.Parse(File.ReadAllBytes(Path.Join(folder, session.Id + ".json")));

        var segments = record.RootElement.GetProperty("path").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["a b", "c%2Fd", "caf\u00E9"], segments);
        Assert.Equal(session.Id, record.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_Folder_Left_By_A_Crash_Is_Tidied_At_Startup_Without_Throwing()
    {
        string keptId;
        string halfWrittenId;
        using (var store = new DirectoryUploadSessionStore(folder))
        {
            keptId = (await WriteAsync(store, await CreateAsync(store, "kept"), 0, TestBytes.Utf8("kept bytes"))).Id;
            halfWrittenId = (await WriteAsync(store, await CreateAsync(store, "half"), 0, TestBytes.Random(100))).Id;
        }

        var record = Path.Join(folder, halfWrittenId + ".json");
        File.WriteAllBytes(record, File.ReadAllBytes(record)[..40]);
        var garbage = NewId();
        File.WriteAllText(Path.Join(folder, garbage + ".json"), "not json at all");
        File.WriteAllBytes(Path.Join(folder, garbage + ".data"), TestBytes.Random(10));
        var empty = NewId();
        File.WriteAllBytes(Path.Join(folder, empty + ".json"), []);
        var foreign = NewId();
        File.WriteAllText(Path.Join(folder, foreign + ".json"), File.ReadAllText(Path.Join(folder, keptId + ".json")).Replace("kept", "other", StringComparison.Ordinal));
        var orphan = NewId();
        File.WriteAllBytes(Path.Join(folder, orphan + ".data"), TestBytes.Random(1000));
        var staleTemp = NewId();
        File.WriteAllText(Path.Join(folder, staleTemp + ".tmp"), "{");
        File.WriteAllText(Path.Join(folder, "notes.txt"), "not the store's");
        File.WriteAllText(Path.Join(folder, "README.json"), "{}");

        using (var store = new DirectoryUploadSessionStore(folder))
        {
            var kept = await store.GetAsync(DavPath.Parse("kept"), Now, CancellationToken.None);
            Assert.NotNull(kept);
            Assert.Equal(keptId, kept.Id);
            BytesAssert.Equal(TestBytes.Utf8("kept bytes"), await ReadAllAsync(store, kept));
            Assert.Null(await store.GetAsync(DavPath.Parse("half"), Now, CancellationToken.None));
            Assert.Single(await store.ListAsync(DavPath.Root, Now, CancellationToken.None));
        }

        string[] expected = ["README.json", keptId + ".data", keptId + ".json", "notes.txt"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), FileNames());
    }

    [Fact]
    public async Task A_Data_File_Longer_Than_Its_Record_Says_Is_Cut_At_Startup()
    {
        var content = TestBytes.Random(5000);
        UploadSession session;
        using (var store = new DirectoryUploadSessionStore(folder))
        {
            session = await WriteAsync(store, await CreateAsync(store, "a"), 0, content);
        }

        // A write killed before its record was saved leaves bytes that no record counts.
        await File.AppendAllTextAsync(DataPath(session), "bytes of a write that never finished");

        using (var store = new DirectoryUploadSessionStore(folder))
        {
            Assert.Equal(session, await store.GetAsync(session.Path, Now, CancellationToken.None));
            Assert.Equal(5000, new FileInfo(DataPath(session)).Length);
            BytesAssert.Equal(content, await ReadAllAsync(store, session));
        }
    }

    [Fact]
    public async Task A_Record_Counting_More_Bytes_Than_Its_Data_File_Holds_Is_Lowered_At_Startup()
    {
        var content = TestBytes.Random(5000);
        UploadSession session;
        using (var store = new DirectoryUploadSessionStore(folder))
        {
            session = await WriteAsync(store, await CreateAsync(store, "a"), 0, content);
        }

        await using (var data = new FileStream(DataPath(session), FileMode.Open, FileAccess.Write))
        {
            data.SetLength(1234);
        }

        using (var store = new DirectoryUploadSessionStore(folder))
        {
            var lowered = await store.GetAsync(session.Path, Now, CancellationToken.None);
            Assert.Equal(session with { BytesSaved = 1234 }, lowered);
            BytesAssert.Equal(content[..1234], await ReadAllAsync(store, lowered!));
        }

        using (var store = new DirectoryUploadSessionStore(folder))
        {
            Assert.Equal(1234, (await store.GetAsync(session.Path, Now, CancellationToken.None))?.BytesSaved);
        }
    }

    [Fact]
    public async Task A_Record_Whose_Data_File_Is_Missing_Starts_Again_From_Zero()
    {
        UploadSession session;
        using (var store = new DirectoryUploadSessionStore(folder))
        {
            session = await WriteAsync(store, await CreateAsync(store, "a"), 0, TestBytes.Random(100));
        }

        File.Delete(DataPath(session));

        using (var store = new DirectoryUploadSessionStore(folder))
        {
            var restarted = await store.GetAsync(session.Path, Now, CancellationToken.None);
            Assert.Equal(session with { BytesSaved = 0 }, restarted);
            var written = await WriteAsync(store, restarted!, 0, TestBytes.Utf8("again"));
            BytesAssert.Equal(TestBytes.Utf8("again"), await ReadAllAsync(store, written));
        }
    }

    [Fact]
    public async Task Of_Two_Records_For_One_Path_The_Newer_Is_Kept_At_Startup()
    {
        UploadSession older;
        using (var store = new DirectoryUploadSessionStore(folder))
        {
            older = await WriteAsync(store, await CreateAsync(store, "a"), 0, TestBytes.Random(100));
        }

        // A crash while a new session replaced the old one, before the old one's files were deleted.
        var newer = older with { Id = NewId(), BytesSaved = 0, CreatedUtc = Now + TimeSpan.FromMinutes(1) };
        File.WriteAllBytes(Path.Join(folder, newer.Id + ".json"), SessionFile.Serialize(newer));
        File.WriteAllBytes(Path.Join(folder, newer.Id + ".data"), []);

        using (var store = new DirectoryUploadSessionStore(folder))
        {
            Assert.Equal(newer, await store.GetAsync(older.Path, Now, CancellationToken.None));
        }

        Assert.Equal([newer.Id + ".data", newer.Id + ".json"], FileNames());
    }

    [Fact]
    public async Task Reading_Stops_At_The_Saved_Bytes_When_The_Data_File_Is_Longer()
    {
        using var store = new DirectoryUploadSessionStore(folder);
        var content = TestBytes.Random(10_000);
        var session = await WriteAsync(store, await CreateAsync(store, "a"), 0, content);
        await File.AppendAllTextAsync(DataPath(session), "past the end");

        await using var stream = await store.OpenReadAsync(session, CancellationToken.None);

        Assert.Equal(10_000, stream.Length);
        stream.Seek(-10, SeekOrigin.End);
        var tail = new byte[100];
        Assert.Equal(10, await stream.ReadAtLeastAsync(tail, 100, throwOnEndOfStream: false));
        BytesAssert.Equal(content.AsSpan(9990), tail.AsSpan(0, 10));
        stream.Position = 0;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        BytesAssert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task Writing_To_A_Session_That_Was_Deleted_Or_Replaced_Answers_409()
    {
        using var store = new DirectoryUploadSessionStore(folder);
        var deleted = await CreateAsync(store, "a");
        await store.DeleteAsync(deleted, CancellationToken.None);
        var replaced = await CreateAsync(store, "b");
        var replacement = await CreateAsync(store, "b");

        var gone = await Assert.ThrowsAsync<DavException>(() => WriteAsync(store, deleted, 0, TestBytes.Random(10)));
        var superseded = await Assert.ThrowsAsync<DavException>(() => WriteAsync(store, replaced, 0, TestBytes.Random(10)));

        Assert.Equal(409, gone.StatusCode);
        Assert.Equal(409, superseded.StatusCode);
        Assert.Equal(replacement, await store.GetAsync(replacement.Path, Now, CancellationToken.None));
        Assert.Equal([replacement.Id + ".data", replacement.Id + ".json"], FileNames());
    }

    [Fact]
    public async Task A_Full_Disk_Answers_507_And_The_Session_Keeps_What_It_Had()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full"))
        {
            return;
        }

        using var store = new DirectoryUploadSessionStore(folder);
        var session = await CreateAsync(store, "a", totalLength: 500_000);

        // Every write to /dev/full fails with ENOSPC, as a write to a full disk does.
        File.Delete(DataPath(session));
        File.CreateSymbolicLink(DataPath(session), "/dev/full");
        var full = await Assert.ThrowsAsync<DavException>(() => WriteAsync(store, session, 0, TestBytes.Random(500_000)));

        Assert.Equal(507, full.StatusCode);
        Assert.Equal(session with { LastChunkSavedUtc = Now, ExpiresUtc = Later }, await store.GetAsync(session.Path, Now, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_Expired_Reclaims_The_Files()
    {
        using var store = new DirectoryUploadSessionStore(folder);
        var expiring = await store.CreateAsync(DavPath.Parse("old"), null, null, Now, Now + TimeSpan.FromMinutes(1), CancellationToken.None);
        expiring = await store.WriteAsync(expiring, 0, new TrickleStream(TestBytes.Random(100_000), 8192), null, Now, Now + TimeSpan.FromMinutes(1), true, null, CancellationToken.None);
        var lasting = await CreateAsync(store, "new");

        var deleted = await store.DeleteExpiredAsync(Now + TimeSpan.FromMinutes(30), CancellationToken.None);

        Assert.Equal([expiring], deleted);
        Assert.Equal([lasting.Id + ".data", lasting.Id + ".json"], FileNames());
    }

    [Fact]
    public async Task The_Folder_Is_Created_When_Missing()
    {
        var nested = Path.Join(folder, "deeper", "uploads");

        using var store = new DirectoryUploadSessionStore(nested);
        await CreateAsync(store, "a");

        Assert.True(Directory.Exists(nested));
        Assert.Equal(Path.GetFullPath(nested), store.Folder);
    }

    [Fact]
    public async Task A_Disposed_Store_Refuses_Calls()
    {
        var store = new DirectoryUploadSessionStore(folder);
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync(DavPath.Root, Now, CancellationToken.None));
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private string DataPath(UploadSession session) => Path.Join(folder, session.Id + ".data");

    private string[] FileNames() =>
        [.. Directory.EnumerateFiles(folder).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    private static async Task<UploadSession> CreateAsync(DirectoryUploadSessionStore store, string path, long? totalLength = null) =>
        await store.CreateAsync(DavPath.Parse(path), totalLength, null, Now, Later, CancellationToken.None);

    private static async Task<UploadSession> WriteAsync(DirectoryUploadSessionStore store, UploadSession session, long offset, byte[] bytes)
    {
        await using var body = new TrickleStream(bytes, 8192);
        return await store.WriteAsync(session, offset, body, null, Now, Later, true, null, CancellationToken.None);
    }

    private static async Task<byte[]> ReadAllAsync(DirectoryUploadSessionStore store, UploadSession session)
    {
        await using var stream = await store.OpenReadAsync(session, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
