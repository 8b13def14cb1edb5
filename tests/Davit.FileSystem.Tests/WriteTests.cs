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
            await file.WriteAsync(FileContent.FromStream(new BrokenBodyStream(RandomBytes(200_000, 2)), 400_000, null), null, default));

        Assert.Equal(old, File.ReadAllBytes(bed.OnDisk("a.bin")));
        Assert.Equal(etag, (await bed.GetFileAsync("a.bin")).ETag);
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task A_Create_Whose_Body_Fails_Leaves_No_File()
    {
        var root = await bed.GetFolderAsync("");

        await Assert.ThrowsAsync<IOException>(async () =>
            await root.CreateFileAsync("a.bin", FileContent.FromStream(new BrokenBodyStream(RandomBytes(1000, 1)), null, null), default));

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
            await file.WriteAsync(FileContent.FromStream(new MemoryStream("new"u8.ToArray()), 3, null), null, cancel.Token));

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
            await file.WriteAsync(FileContent.FromStream(new MemoryStream(Encoding.UTF8.GetBytes($"b{i:000}")), 4, null), null, default);
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

        await file.WriteAsync(FileContent.FromStream(new MemoryStream("2"u8.ToArray()), 1, null), null, default);

        Assert.Equal(clock.Now, first);
        Assert.True(file.ModifiedUtc > first);
        Assert.Equal(file.ModifiedUtc.UtcDateTime, File.GetLastWriteTimeUtc(timed.OnDisk("a.txt")));
    }

    [Fact]
    public async Task Read_Returns_Exactly_The_Requested_Range()
    {
        var bytes = RandomBytes(200_000, 3);
        var file = await bed.PutAsync("a.bin", bytes);
        using var output = new MemoryStream();
        await using var reader = await file.OpenReadAsync(default);

        await reader.ReadAsync(output, 70_000, 100_000, default);

        Assert.Equal(bytes.AsSpan(70_000, 100_000).ToArray(), output.ToArray());
    }

    [Fact]
    public async Task Opening_A_File_Deleted_Meanwhile_Reports_It_Gone()
    {
        var file = await bed.PutAsync("a.txt", "a");
        File.Delete(bed.OnDisk("a.txt"));

        var error = await Assert.ThrowsAsync<StoreException>(async () => await file.OpenReadAsync(default));

        Assert.Equal(StoreError.NotFound, error.Error);
    }

    [Fact]
    public async Task Creating_Where_Something_Exists_Reports_It_Exists()
    {
        await bed.PutAsync("a.txt", "a");
        await bed.MkcolAsync("f");
        var root = await bed.GetFolderAsync("");

        var file = await Assert.ThrowsAsync<StoreException>(async () =>
            await root.CreateFileAsync("a.txt", FileContent.FromStream(new MemoryStream([1]), 1, null), default));
        var folder = await Assert.ThrowsAsync<StoreException>(async () => await root.CreateFolderAsync("f", default));
        var folderOverFile = await Assert.ThrowsAsync<StoreException>(async () => await root.CreateFolderAsync("a.txt", default));

        Assert.Equal([StoreError.AlreadyExists, StoreError.AlreadyExists, StoreError.AlreadyExists], new[] { file.Error, folder.Error, folderOverFile.Error });
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
        Assert.Equal(StoreError.InsufficientStorage, IoErrors.ErrorFor(error));
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

        await file.WriteAsync(FileContent.FromStream(new MemoryStream("#!/bin/sh\necho"u8.ToArray()), null, null), null, default);

        Assert.Equal(Mode, File.GetUnixFileMode(bed.OnDisk("run.sh")));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
