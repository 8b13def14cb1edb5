namespace Davit.Http;

/// <summary>The Depth header's values (RFC 4918 §10.2).</summary>
internal enum Depth
{
    Zero,
    One,
    Infinity,
}

/// <summary>Parsers for the WebDAV request headers. None throws: bad input gives false, and the handler answers 400.</summary>
internal static class DavHeaders
{
    /// <summary>Parses Depth ("0", "1", "infinity"); an absent header gives <paramref name="fallback"/>.</summary>
    public static bool TryParseDepth(string? value, Depth fallback, out Depth depth)
    {
        depth = fallback;
        if (value is null)
        {
            return true;
        }

        switch (value.Trim().ToLowerInvariant())
        {
            case "0":
                depth = Depth.Zero;
                return true;
            case "1":
                depth = Depth.One;
                return true;
            case "infinity":
                depth = Depth.Infinity;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Parses Overwrite ("T" or "F", RFC 4918 §10.6); absent means T.</summary>
    public static bool TryParseOverwrite(string? value, out bool overwrite)
    {
        overwrite = true;
        if (value is null)
        {
            return true;
        }

        switch (value.Trim())
        {
            case "T" or "t":
                return true;
            case "F" or "f":
                overwrite = false;
                return true;
            default:
                return false;
        }
    }
}
