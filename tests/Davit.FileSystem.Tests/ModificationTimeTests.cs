using Davit.Storage;

namespace Davit.FileSystem.Tests;

public sealed class ModificationTimeTests : IDisposable
{
    private static readonly DateTimeOffset LongAgo = new(2009, 2, 13, 23, 31, 30, TimeSpan.Zero);

    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task SetModified_Round_Trips_To_The_Second_And_Leaves_The_Bytes_Unchanged()
    {
        var bytes = new byte[100_000];
        new Random(7).NextBytes(bytes);
        await bed.PutAsync("a.bin", bytes);
        var file = await bed.GetFileAsync("a.bin");

        await ((IModificationTime)file).SetModifiedAsync(LongAgo.ToOffset(TimeSpan.FromHours(-5)), default);

        var again = await bed.GetFileAsync("a.bin");
        Assert.Equal(LongAgo, TruncateToSecond(file.ModifiedUtc));
        Assert.Equal(file.ModifiedUtc, again.ModifiedUtc);
        Assert.Equal(file.ETag, again.ETag);
        Assert.Equal(again.ModifiedUtc.UtcDateTime, File.GetLastWriteTimeUtc(bed.OnDisk("a.bin")));
        Assert.Equal(bytes, File.ReadAllBytes(bed.OnDisk("a.bin")));
        Assert.Equal(bytes.Length, again.ContentLength);
        Assert.Empty(bed.StagedFiles());
    }

    [Fact]
    public async Task SetModified_On_A_Folder_Sets_Exactly_The_Time_Asked()
    {
        var folder = await bed.MkcolAsync("f");
        await bed.PutAsync("f/a.txt", "a");
        var precise = LongAgo.AddTicks(1_234_567);

        await ((IModificationTime)folder).SetModifiedAsync(precise, default);

        Assert.Equal(precise, folder.ModifiedUtc);
        Assert.Equal(precise, (await bed.GetFolderAsync("f")).ModifiedUtc);
        Assert.Equal(["a.txt"], await bed.ListAsync("f"));
    }

    [Fact]
    public async Task Setting_The_Time_Back_Does_Not_Bring_Back_The_ETag_Of_The_Earlier_Content()
    {
        var v1 = await bed.PutAsync("a.txt", "version 1");
        var (etag1, t1) = (v1.ETag, v1.ModifiedUtc);
        await bed.PutAsync("a.txt", "version 2");

        await ((IModificationTime)await bed.GetFileAsync("a.txt")).SetModifiedAsync(t1, default);

        var after = await bed.GetFileAsync("a.txt");
        Assert.Equal(TruncateToSecond(t1), TruncateToSecond(after.ModifiedUtc));
        Assert.NotEqual(etag1, after.ETag);
        Assert.Equal("version 2", File.ReadAllText(bed.OnDisk("a.txt")));
    }

    [Fact]
    public async Task Setting_The_Whole_Second_An_Earlier_Content_Had_Does_Not_Bring_Back_Its_ETag()
    {
        // The clock stands on a whole second, so the first version's time is exactly what Windows would send back.
        var clock = new StoppedClock(LongAgo);
        using var timed = new StoreTestBed(timeProvider: clock);
        var v1 = await timed.PutAsync("a.txt", "version 1");
        var etag1 = v1.ETag;
        clock.Now = LongAgo.AddMinutes(1);
        await timed.PutAsync("a.txt", "version 2");

        await ((IModificationTime)await timed.GetFileAsync("a.txt")).SetModifiedAsync(LongAgo, default);

        Assert.Equal(LongAgo, v1.ModifiedUtc);
        Assert.NotEqual(etag1, (await timed.GetFileAsync("a.txt")).ETag);
    }

    [Fact]
    public async Task Setting_The_Same_Time_Again_Still_Changes_The_Time_And_ETag()
    {
        var file = await bed.PutAsync("a.txt", "a");
        var seen = new HashSet<string> { file.ETag };

        for (var i = 0; i < 20; i++)
        {
            await ((IModificationTime)file).SetModifiedAsync(LongAgo, default);
            Assert.True(seen.Add(file.ETag), $"ETag {file.ETag} repeated.");
            Assert.Equal(LongAgo, TruncateToSecond(file.ModifiedUtc));
        }
    }

    [Fact]
    public async Task A_Write_After_A_Time_In_The_Future_Still_Moves_The_Time_Forward()
    {
        var file = await bed.PutAsync("a.txt", "aaaa");
        var future = DateTimeOffset.UtcNow.AddYears(1);
        await ((IModificationTime)file).SetModifiedAsync(future, default);
        var set = (file.ModifiedUtc, file.ETag);

        await file.WriteAsync(FileContent.FromStream(new MemoryStream("bbbb"u8.ToArray()), 4, null), null, default);

        Assert.True(file.ModifiedUtc > set.ModifiedUtc);
        Assert.NotEqual(set.ETag, file.ETag);
    }

    [Fact]
    public async Task SetModified_Of_A_File_Deleted_Meanwhile_Throws_404()
    {
        var file = await bed.PutAsync("a.txt", "a");
        File.Delete(bed.OnDisk("a.txt"));

        var error = await Assert.ThrowsAsync<StoreException>(async () => await ((IModificationTime)file).SetModifiedAsync(LongAgo, default));

        Assert.Equal(StoreError.NotFound, error.Error);
        Assert.False(File.Exists(bed.OnDisk("a.txt")));
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
