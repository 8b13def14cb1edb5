using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Write_From_A_Failing_Stream_Throws_And_Leaves_The_Old_Content_Intact()
    {
        var old = TestBytes.Random(100_000, seed: 1);
        var file = await Store.CreateFileAsync("a.bin", old);
        var etag = file.ETag;

        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await file.WriteAsync(FileContent.FromStream(new FailingStream(TestBytes.Random(150_000, seed: 2), failAfter: 70_000), 150_000, null), null, CancellationToken.None));

        Assert.Equal(old.Length, file.ContentLength);
        Assert.Equal(etag, file.ETag);
        Assert.Equal(etag, (await Store.GetFileAsync("a.bin")).ETag);
        await AssertContentAsync("a.bin", old);
    }

    [Fact]
    public async Task CreateFile_From_A_Failing_Stream_Leaves_No_Item_And_The_Name_Free()
    {
        var root = await Store.GetFolderAsync("");

        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await root.CreateFileAsync("a.bin", FileContent.FromStream(new FailingStream(TestBytes.Random(150_000), failAfter: 70_000), 150_000, null), CancellationToken.None));

        Assert.Null(await Store.GetAsync("a.bin"));
        Assert.Empty(await (await Store.GetFolderAsync("")).ListAsync());
        var retry = TestBytes.Random(10);
        await Store.CreateFileAsync("a.bin", retry);
        await AssertContentAsync("a.bin", retry);
    }

    [Fact]
    public async Task Write_Cancelled_Midway_Throws_OperationCanceled_And_Leaves_The_Old_Content_Intact()
    {
        var old = TestBytes.Random(100_000, seed: 1);
        var file = await Store.CreateFileAsync("a.bin", old);
        var etag = file.ETag;
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await file.WriteAsync(FileContent.FromStream(new CancellingStream(TestBytes.Random(150_000, seed: 2), 70_000, cancellation), 150_000, null), null, cancellation.Token));

        Assert.Equal(etag, file.ETag);
        Assert.Equal(etag, (await Store.GetFileAsync("a.bin")).ETag);
        await AssertContentAsync("a.bin", old);
    }

    [Fact]
    public async Task CreateFile_Cancelled_Midway_Leaves_No_Item()
    {
        var root = await Store.GetFolderAsync("");
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await root.CreateFileAsync("a.bin", FileContent.FromStream(new CancellingStream(TestBytes.Random(150_000), 70_000, cancellation), 150_000, null), cancellation.Token));

        Assert.Null(await Store.GetAsync("a.bin"));
        Assert.Empty(await (await Store.GetFolderAsync("")).ListAsync());
    }

    [Fact]
    public async Task Write_With_An_Already_Cancelled_Token_Throws_And_Leaves_The_Old_Content_Intact()
    {
        var old = TestBytes.Random(1_000, seed: 1);
        var file = await Store.CreateFileAsync("a.bin", old);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await file.WriteAsync(FileContent.FromStream(new MemoryStream(TestBytes.Random(2_000, seed: 2)), 2_000, null), null, new CancellationToken(canceled: true)));

        await AssertContentAsync("a.bin", old);
    }

    [Fact]
    public async Task CreateFile_With_An_Already_Cancelled_Token_Throws_And_Leaves_No_Item()
    {
        var root = await Store.GetFolderAsync("");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await root.CreateFileAsync("a.bin", FileContent.FromStream(new MemoryStream(TestBytes.Random(2_000)), 2_000, null), new CancellationToken(canceled: true)));

        Assert.Null(await Store.GetAsync("a.bin"));
    }
}
