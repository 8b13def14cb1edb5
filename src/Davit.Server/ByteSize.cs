using System.Globalization;

namespace Davit.Server;

/// <summary>Sizes as an operator writes them: "1048576", "500 MB", "10GiB" (KB, MB, GB, TB are powers of 1000;
/// KiB, MiB, GiB, TiB powers of 1024; B or nothing is bytes).</summary>
internal static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("B", 1),
    ];

    /// <summary>Parses <paramref name="text"/>; false for anything else (negative numbers, fractions, overflow,
    /// unknown units).</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var value = text?.Trim() ?? string.Empty;
        var factor = 1L;
        foreach (var (unit, unitFactor) in Units)
        {
            if (value.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                value = value[..^unit.Length].TrimEnd();
                factor = unitFactor;
                break;
            }
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        try
        {
            bytes = checked(count * factor);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
