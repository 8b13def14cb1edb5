namespace Davit.Conformance;

/// <summary>Byte comparisons whose failure says where the bodies differ instead of printing megabytes.</summary>
public static class BytesAssert
{
    /// <summary>Fails unless <paramref name="actual"/> has exactly the bytes of <paramref name="expected"/>.</summary>
    public static void Equal(byte[] expected, byte[] actual) => Equal(expected.AsSpan(), actual.AsSpan());

    /// <summary>Fails unless <paramref name="actual"/> has exactly the bytes of <paramref name="expected"/>.</summary>
    public static void Equal(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        var common = Math.Min(expected.Length, actual.Length);
        var at = expected[..common].CommonPrefixLength(actual[..common]);
        var detail = at < common
            ? $"first difference at byte {at}: expected 0x{expected[at]:X2}, actual 0x{actual[at]:X2}"
            : "one is a prefix of the other";
        Assert.Fail($"The bytes differ: expected {expected.Length} bytes, actual {actual.Length} bytes; {detail}.");
    }

    /// <summary>Fails unless every byte of <paramref name="actual"/> is the same value; returns that value
    /// (0 for an empty body).</summary>
    public static byte Uniform(ReadOnlySpan<byte> actual)
    {
        if (actual.IsEmpty)
        {
            return 0;
        }

        var first = actual[0];
        var other = actual.IndexOfAnyExcept(first);
        if (other >= 0)
        {
            Assert.Fail($"Mixed content: byte 0 is 0x{first:X2} but byte {other} is 0x{actual[other]:X2}.");
        }

        return first;
    }
}
