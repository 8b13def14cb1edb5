using Microsoft.Net.Http.Headers;

namespace Davit.Http;

/// <summary>A satisfiable byte range of a representation: <see cref="Offset"/> and <see cref="Length"/> in bytes.</summary>
internal readonly record struct ByteRange(long Offset, long Length)
{
    public long Last => Offset + Length - 1;

    /// <summary>"bytes first-last/complete", the Content-Range of a 206 (RFC 9110 §14.4).</summary>
    public string ContentRange(long completeLength) => $"bytes {Offset}-{Last}/{completeLength}";
}

/// <summary>What to do with a Range header.</summary>
internal enum RangeOutcome
{
    /// <summary>No usable Range (absent, malformed, another unit, or an abusive set): send the whole content.</summary>
    Full,

    /// <summary>Send the ranges in <see cref="RangeSelection.Ranges"/> with 206.</summary>
    Partial,

    /// <summary>No range is satisfiable: 416 with Content-Range: bytes */length.</summary>
    NotSatisfiable,
}

/// <summary>The outcome of evaluating a Range header against a length.</summary>
internal readonly record struct RangeSelection(RangeOutcome Outcome, IReadOnlyList<ByteRange> Ranges)
{
    public static readonly RangeSelection Full = new(RangeOutcome.Full, []);
}

/// <summary>
/// Interprets Range (RFC 9110 §14.2) against a representation's length, with the defences against range abuse
/// (CVE-2011-3192): too many ranges, or ranges that add up to more than the whole, are answered with the whole
/// content; overlapping and adjacent ranges are merged. Never throws: a malformed header is ignored (§14.2 MAY).
/// </summary>
internal static class ByteRanges
{
    /// <summary>More ranges than this in one request and the Range header is ignored.</summary>
    public const int DefaultMaxRanges = 64;

    public static RangeSelection Select(string? header, long length, int maxRanges = DefaultMaxRanges)
    {
        if (string.IsNullOrEmpty(header)
            || !RangeHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || parsed.Ranges.Count == 0
            || parsed.Ranges.Count > maxRanges)
        {
            return RangeSelection.Full;
        }

        var satisfiable = new List<ByteRange>(parsed.Ranges.Count);
        long requested = 0;
        foreach (var item in parsed.Ranges)
        {
            if (!TryResolve(item.From, item.To, length, out var range, out var isValid))
            {
                if (!isValid)
                {
                    return RangeSelection.Full;
                }

                continue;
            }

            satisfiable.Add(range);
            requested += range.Length;
        }

        if (satisfiable.Count == 0)
        {
            return new RangeSelection(RangeOutcome.NotSatisfiable, []);
        }

        // Asking for more bytes than the whole, through overlaps, is what the range-amplification attack does.
        if (satisfiable.Count > 1 && requested > length)
        {
            return RangeSelection.Full;
        }

        return new RangeSelection(RangeOutcome.Partial, Coalesce(satisfiable));
    }

    /// <summary>
    /// Turns one byte-range-spec into a range within <paramref name="length"/>. False with
    /// <paramref name="isValid"/> true when it is well-formed but unsatisfiable; false with it false when the spec
    /// is invalid (last before first), which makes the whole header invalid (§14.1.1).
    /// </summary>
    private static bool TryResolve(long? from, long? to, long length, out ByteRange range, out bool isValid)
    {
        range = default;
        isValid = true;
        if (from is null)
        {
            // Suffix: the last n bytes.
            if (to is not > 0 || length == 0)
            {
                return false;
            }

            var suffix = Math.Min(to.Value, length);
            range = new ByteRange(length - suffix, suffix);
            return true;
        }

        if (to is not null && to < from)
        {
            isValid = false;
            return false;
        }

        if (from >= length)
        {
            return false;
        }

        var last = to is null || to >= length ? length - 1 : to.Value;
        range = new ByteRange(from.Value, last - from.Value + 1);
        return true;
    }

    private static List<ByteRange> Coalesce(List<ByteRange> ranges)
    {
        if (ranges.Count == 1)
        {
            return ranges;
        }

        ranges.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var merged = new List<ByteRange> { ranges[0] };
        foreach (var next in ranges.Skip(1))
        {
            var current = merged[^1];
            if (next.Offset <= current.Last + 1)
            {
                var last = Math.Max(current.Last, next.Last);
                merged[^1] = new ByteRange(current.Offset, last - current.Offset + 1);
            }
            else
            {
                merged.Add(next);
            }
        }

        return merged;
    }
}
