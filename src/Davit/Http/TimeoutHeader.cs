namespace Davit.Http;

/// <summary>The Timeout request header of LOCK (RFC 4918 §10.7).</summary>
internal static class TimeoutHeader
{
    /// <summary>
    /// The first usable value of "Infinite" or "Second-n" in the comma-separated list, capped at
    /// <paramref name="maximum"/>; <paramref name="fallback"/> when the header is absent or has no usable value
    /// (the server may choose, §10.7). <see cref="Timeout.InfiniteTimeSpan"/> stands for Infinite. §10.7 bounds n by
    /// 2^32 - 1; a larger n asks for more than the maximum just as well, so it gets the maximum too.
    /// </summary>
    public static TimeSpan Choose(string? header, TimeSpan fallback, TimeSpan maximum)
    {
        var chosen = fallback;
        foreach (var part in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("Infinite", StringComparison.OrdinalIgnoreCase))
            {
                chosen = Timeout.InfiniteTimeSpan;
                break;
            }

            if (part.StartsWith("Second-", StringComparison.OrdinalIgnoreCase) && part.Length > 7
                && !part.AsSpan(7).ContainsAnyExceptInRange('0', '9'))
            {
                chosen = uint.TryParse(part.AsSpan(7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : TimeSpan.MaxValue;
                break;
            }
        }

        return Cap(chosen, maximum);
    }

    private static TimeSpan Cap(TimeSpan value, TimeSpan maximum)
    {
        if (maximum == Timeout.InfiniteTimeSpan)
        {
            return value;
        }

        return value == Timeout.InfiniteTimeSpan || value > maximum ? maximum : value;
    }
}
