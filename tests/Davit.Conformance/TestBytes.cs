using System.Text;

namespace Davit.Conformance;

/// <summary>Bodies for tests.</summary>
public static class TestBytes
{
    /// <summary><paramref name="length"/> pseudo-random bytes, the same for the same seed.</summary>
    public static byte[] Random(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary><paramref name="length"/> bytes all equal to <paramref name="value"/>.</summary>
    public static byte[] Uniform(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
