using Davit.Conformance;
using Davit.Storage.Memory;

namespace Davit.Tests.Storage;

public sealed class MemoryBytesTests
{
    [Fact]
    public async Task Random_Splices_Match_A_Plain_Array_Model()
    {
        var random = new Random(42);
        var model = TestBytes.Random(300_000, seed: 1);
        var bytes = await MemoryBytes.ReadAsync(new MemoryStream(model), CancellationToken.None);

        for (var i = 0; i < 500; i++)
        {
            var start = random.Next(0, model.Length + 1);
            var piece = TestBytes.Random(random.Next(0, i % 50 == 0 ? 100_000 : 20), seed: i);
            bytes = bytes.Splice(start, await MemoryBytes.ReadAsync(new MemoryStream(piece), CancellationToken.None));
            var next = new byte[Math.Max(model.Length, start + piece.Length)];
            model.CopyTo(next, 0);
            piece.CopyTo(next, start);
            model = next;
        }

        Assert.Equal(model.Length, bytes.Length);
        BytesAssert.Equal(model, await ReadAsync(bytes, 0, bytes.Length));
        BytesAssert.Equal(model[65_530..135_530], await ReadAsync(bytes, 65_530, 70_000));
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
