using Davit.Conformance;
using Davit.Storage.Memory;

namespace Davit.Tests.Storage;

public sealed class MemoryBytesTests
{
    [Fact]
    public async Task Segments_Read_Back_Whole_And_In_Ranges_And_As_A_Stream()
    {
        var model = TestBytes.Random(300_000, seed: 1);
        var parts = new List<ReadOnlyMemory<byte>> { model.AsMemory(0, 65_536), model.AsMemory(65_536, 1), ReadOnlyMemory<byte>.Empty, model.AsMemory(65_537) };
        var bytes = MemoryBytes.FromSegments(parts);

        Assert.Equal(model.Length, bytes.Length);
        BytesAssert.Equal(model, await ReadAsync(bytes, 0, bytes.Length));
        BytesAssert.Equal(model[65_530..135_530], await ReadAsync(bytes, 65_530, 70_000));
        using var copy = new MemoryStream();
        await using (var stream = bytes.OpenRead())
        {
            await stream.CopyToAsync(copy, 7_001);
        }

        BytesAssert.Equal(model, copy.ToArray());
    }

    [Fact]
    public async Task Reading_Outside_The_Content_Throws()
    {
        var bytes = await MemoryBytes.ReadAsync(new MemoryStream(new byte[10]), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ReadAsync(bytes, 5, 6));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ReadAsync(bytes, -1, 1));
    }

    [Fact]
    public async Task An_Empty_Stream_Gives_Empty_Content()
    {
        var bytes = await MemoryBytes.ReadAsync(Stream.Null, CancellationToken.None);

        Assert.Equal(0, bytes.Length);
        Assert.Empty(await ReadAsync(bytes, 0, 0));
    }

    private static async Task<byte[]> ReadAsync(MemoryBytes bytes, long offset, long count)
    {
        using var output = new MemoryStream();
        await bytes.WriteToAsync(output, offset, count, CancellationToken.None);
        return output.ToArray();
    }
}
