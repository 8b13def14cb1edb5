using Microsoft.Net.Http.Headers;

namespace Davit.Http;

/// <summary>A byte range of a PUT body: where it goes, and the complete length when the client knows it.</summary>
internal readonly record struct UploadRange(long First, long Last, long? Total)
{
    public long Length => Last - First + 1;
}

/// <summary>Content-Range on PUT, "bytes first-last/total" or "bytes first-last/*" (RFC 9110 §14.4).</summary>
internal static class ContentRangeHeader
{
    /// <summary>False for anything else: another unit, "bytes */total", last before first, a total not past last.</summary>
    public static bool TryParse(string value, out UploadRange range)
    {
        range = default;
        if (!ContentRangeHeaderValue.TryParse(value, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || parsed.From is not { } first || parsed.To is not { } last
            || first < 0 || last < first
            || (parsed.Length is { } total && total <= last))
        {
            return false;
        }

        range = new UploadRange(first, last, parsed.Length);
        return true;
    }
}
