using Davit.Storage;

namespace Davit.Conformance;

/// <summary>
/// <see cref="IModificationTime"/>, for the items that implement it; a store whose items do not passes these
/// vacuously (the engine falls back to a dead property).
/// </summary>
public abstract partial class StoreConformanceTests
{
    private static readonly DateTimeOffset LongAgo = new(2003, 4, 5, 6, 7, 8, TimeSpan.Zero);

    [Fact]
    public async Task SetModified_Round_Trips_To_The_Second_On_Files_And_Folders()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        await Store.CreateFolderAsync("f");

        foreach (var path in new[] { "a.txt", "f" })
        {
            if (await Store.GetAsync(path) is not IModificationTime settable)
            {
                continue;
            }

            await settable.SetModifiedAsync(LongAgo, CancellationToken.None);

            var modified = (await Store.GetAsync(path))!.ModifiedUtc;
            Assert.Equal(TimeSpan.Zero, modified.Offset);
            Assert.Equal(LongAgo, TruncateToSecond(modified));
        }
    }

    [Fact]
    public async Task SetModified_Takes_A_Time_With_An_Offset_As_The_Same_Instant_In_Utc()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        if (await Store.GetAsync("a.txt") is not IModificationTime settable)
        {
            return;
        }

        await settable.SetModifiedAsync(LongAgo.ToOffset(TimeSpan.FromHours(2)), CancellationToken.None);

        var modified = (await Store.GetFileAsync("a.txt")).ModifiedUtc;
        Assert.Equal(TimeSpan.Zero, modified.Offset);
        Assert.Equal(LongAgo, TruncateToSecond(modified));
    }

    [Fact]
    public async Task SetModified_Leaves_The_Content_Unchanged()
    {
        var body = TestBytes.Random(70_000);
        var created = await Store.CreateFileAsync("a.bin", body);
        if (await Store.GetAsync("a.bin") is not IModificationTime settable)
        {
            return;
        }

        await settable.SetModifiedAsync(LongAgo, CancellationToken.None);

        await AssertContentAsync("a.bin", body);
        Assert.Equal(created.ContentType, (await Store.GetFileAsync("a.bin")).ContentType);
    }

    [Fact]
    public async Task SetModified_Back_To_An_Earlier_Time_Does_Not_Bring_Back_The_ETag_Of_Other_Content()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("version one"));
        var first = await Store.GetFileAsync("a.txt");
        if (first is not IModificationTime)
        {
            return;
        }

        var (firstETag, firstModified) = (first.ETag, first.ModifiedUtc);
        await (await Store.GetFileAsync("a.txt")).WriteBytesAsync(TestBytes.Utf8("version two"));

        // Windows does this after every upload: it sets the time the file had on the client, here the older one.
        await ((IModificationTime)await Store.GetFileAsync("a.txt")).SetModifiedAsync(firstModified, CancellationToken.None);

        var after = await Store.GetFileAsync("a.txt");
        Assert.NotEqual(firstETag, after.ETag);
        BytesAssert.Equal(TestBytes.Utf8("version two"), await after.ReadAllBytesAsync());
    }

    [Fact]
    public async Task A_Write_After_SetModified_Takes_The_Current_Time_Again()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));
        if (await Store.GetAsync("a.txt") is not IModificationTime settable)
        {
            return;
        }

        await settable.SetModifiedAsync(LongAgo, CancellationToken.None);
        var before = DateTimeOffset.UtcNow;
        await (await Store.GetFileAsync("a.txt")).WriteBytesAsync(TestBytes.Utf8("b"));

        // Generous, as in CreatedUtc_And_ModifiedUtc_Are_In_Utc_And_Current.
        Assert.InRange((await Store.GetFileAsync("a.txt")).ModifiedUtc, before.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);
}
