using System.Text;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

public sealed class WriteTests : IDisposable
{
    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task Create_Writes_A_Plain_File_Under_The_Root()
    {
        var file = await bed.PutAsync("notes.txt", "hello");

        Assert.Equal("hello", File.ReadAllText(bed.OnDisk("notes.txt")));
        Assert.Equal(5, file.ContentLength);
        Assert.Equal("text/plain", file.ContentType);
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task A_Write_Whose_Body_Fails_Midway_Leaves_The_Old_Bytes_And_No_Staged_File()
    {
        var old = RandomBytes(300_000, 1);
        var file = await bed.PutAsync("a.bin", old);
        var etag = file.ETag;

        await Assert.ThrowsAsync<IOException>(async () =>
            await file.WriteAsync(new BrokenBodyStream(RandomBytes(200_000, 2)), null, 0, 400_000, default));

        Assert.Equal(old, File.ReadAllBytes(bed.OnDisk("a.bin")));
        Assert.Equal(etag, (await bed.GetFileAsync("a.bin")).ETag);
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task A_Partial_Write_Whose_Body_Fails_Leaves_The_Old_Bytes()
    {
        var file = await bed.PutAsync("a.txt", "0123456789");

        await Assert.ThrowsAsync<IOException>(async () =>
            await file.WriteAsync(new BrokenBodyStream("ab"u8.ToArray()), null, 3, -1, default));

        Assert.Equal("0123456789", File.ReadAllText(bed.OnDisk("a.txt")));
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task A_Create_Whose_Body_Fails_Leaves_No_File()
    {
        var root = await bed.GetFolderAsync("");

        await Assert.ThrowsAsync<IOException>(async () =>
            await root.CreateFileAsync("a.bin", new BrokenBodyStream(RandomBytes(1000, 1)), null, -1, default));

        Assert.False(File.Exists(bed.OnDisk("a.bin")));
        Assert.Null(await bed.GetAsync("a.bin"));
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task A_Cancelled_Write_Leaves_The_Old_Bytes()
    {
        var file = await bed.PutAsync("a.txt", "old");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await file.WriteAsync(new MemoryStream("new"u8.ToArray()), null, 0, 3, cancel.Token));

        Assert.Equal("old", File.ReadAllText(bed.OnDisk("a.txt")));
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task Two_Immediate_Same_Size_Writes_Change_The_ETag_Each_Time()
    {
        var file = await bed.PutAsync("a.txt", "aaaa");
        var etags = new HashSet<string> { file.ETag };

        for (var i = 0; i < 20; i++)
        {
            await file.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes($"b{i:000}")), null, 0, 4, default);
            Assert.True(etags.Add(file.ETag), $"ETag {file.ETag} repeated.");
            Assert.Equal(file.ETag, (await bed.GetFileAsync("a.txt")).ETag);
        }

        Assert.All(etags, e => Assert.DoesNotContain(e, c => c is '"' or ' ' || char.IsControl(c)));
    }

    [Fact]
    public async Task A_Stopped_Clock_Still_Moves_The_Modification_Time_Forward()
    {
        var clock = new StoppedClock(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var timed = new StoreTestBed(timeProvider: clock);
        var file = await timed.PutAsync("a.txt", "1");
        var first = file.ModifiedUtc;

        await file.WriteAsync(new MemoryStream("2"u8.ToArray()), null, 0, 1, default);

        Assert.Equal(clock.Now, first);
        Assert.True(file.ModifiedUtc > first);
        Assert.Equal(file.ModifiedUtc.UtcDateTime, File.GetLastWriteTimeUtc(timed.OnDisk("a.txt")));
    }

    [Fact]
    public async Task Write_From_StartIndex_Keeps_The_Bytes_Around_The_Written_Range()
    {
        var file = await bed.PutAsync("a.txt", "0123456789");

        await file.WriteAsync(new MemoryStream("ab"u8.ToArray()), null, 3, 10, default);

        Assert.Equal("012ab56789", File.ReadAllText(bed.OnDisk("a.txt")));
        Assert.Equal(10, file.ContentLength);
    }

    [Fact]
    public async Task Write_From_StartIndex_Beyond_The_Length_Throws_412()
    {
        var file = await bed.PutAsync("a.txt", "01234");

        var error = await Assert.ThrowsAsync<DavException>(async () =>
            await file.WriteAsync(new MemoryStream("x"u8.ToArray()), null, 6, -1, default));

        Assert.Equal(412, error.StatusCode);
        Assert.Equal("01234", File.ReadAllText(bed.OnDisk("a.txt")));
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task Write_At_The_Length_Appends()
    {
        var file = await bed.PutAsync("a.txt", "01234");

        await file.WriteAsync(new MemoryStream("56"u8.ToArray()), null, 5, 7, default);

        Assert.Equal("0123456", File.ReadAllText(bed.OnDisk("a.txt")));
    }

    [Fact]
    public async Task Read_Returns_Exactly_The_Requested_Range()
    {
        var bytes = RandomBytes(200_000, 3);
        var file = await bed.PutAsync("a.bin", bytes);
        using var output = new MemoryStream();

        await file.ReadAsync(output, 70_000, 100_000, default);

        Assert.Equal(bytes.AsSpan(70_000, 100_000).ToArray(), output.ToArray());
    }

    [Fact]
    public async Task Read_Of_A_File_Deleted_Meanwhile_Throws_404()
    {
        var file = await bed.PutAsync("a.txt", "a");
        File.Delete(bed.OnDisk("a.txt"));

        var error = await Assert.ThrowsAsync<DavException>(async () => await file.ReadAsync(Stream.Null, 0, 1, default));

        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task Creating_Where_Something_Exists_Throws_405()
    {
        await bed.PutAsync("a.txt", "a");
        await bed.MkcolAsync("f");
        var root = await bed.GetFolderAsync("");

        var file = await Assert.ThrowsAsync<DavException>(async () =>
            await root.CreateFileAsync("a.txt", new MemoryStream([1]), null, 1, default));
        var folder = await Assert.ThrowsAsync<DavException>(async () => await root.CreateFolderAsync("f", default));
        var folderOverFile = await Assert.ThrowsAsync<DavException>(async () => await root.CreateFolderAsync("a.txt", default));

        Assert.Equal([405, 405, 405], new[] { file.StatusCode, folder.StatusCode, folderOverFile.StatusCode });
        Assert.Equal("a", File.ReadAllText(bed.OnDisk("a.txt")));
    }

    [Fact]
    public void Out_Of_Space_Is_Recognised_From_A_Real_ENOSPC()
    {
        if (!File.Exists("/dev/full"))
        {
            return;
        }

        // Writing to /dev/full always fails the way a full disk does.
        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            full.Write(new byte[4096]);
            full.Flush();
        });

        Assert.True(IoErrors.IsOutOfSpace(error));
        Assert.Equal(507, IoErrors.StatusFor(error));
        Assert.False(IoErrors.IsOutOfSpace(new IOException("other")));
    }

    [Fact]
    public void A_Restart_Removes_Abandoned_Staged_Files_And_Keeps_Recent_Ones()
    {
        var abandoned = Path.Combine(bed.Staging, "abandoned.tmp");
        var recent = Path.Combine(bed.Staging, "recent.tmp");
        File.WriteAllText(abandoned, "x");
        File.WriteAllText(recent, "x");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-2));

        bed.Restart();

        Assert.Equal([recent], bed.StagedFiles());
    }

    [Fact]
    public async Task A_Write_Keeps_The_Files_Permissions()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = await bed.PutAsync("run.sh", "#!/bin/sh");
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        File.SetUnixFileMode(bed.OnDisk("run.sh"), Mode);

        await file.WriteAsync(new MemoryStream("#!/bin/sh\necho"u8.ToArray()), null, 0, -1, default);

        Assert.Equal(Mode, File.GetUnixFileMode(bed.OnDisk("run.sh")));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
