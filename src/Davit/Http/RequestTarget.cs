namespace Davit.Http;

/// <summary>Extracts the path part from a request target or a Destination value.</summary>
internal static class RequestTarget
{
    /// <summary>
    /// The raw path of an origin-form ("/a/b?q") or absolute-form ("http://host/a/b") target, without the query.
    /// False for other forms ("*", relative references) and for a target holding a raw '#': a fragment is never
    /// part of a request, so "frag/#ment" is a client error, not a request for "frag/" (litmus delete_fragment).
    /// </summary>
    public static bool TryGetRawPath(string target, out ReadOnlySpan<char> path, out string? authority)
    {
        authority = null;
        path = default;
        var span = target.AsSpan();
        if (span.Contains('#'))
        {
            return false;
        }

        var query = span.IndexOf('?');
        if (query >= 0)
        {
            span = span[..query];
        }

        if (span.StartsWith("/"))
        {
            path = span;
            return true;
        }

        var scheme = span.IndexOf("://");
        if (scheme > 0 && IsScheme(span[..scheme]))
        {
            var rest = span[(scheme + 3)..];
            var slash = rest.IndexOf('/');
            authority = (slash < 0 ? rest : rest[..slash]).ToString();
            path = slash < 0 ? "/" : rest[slash..];

            // A host that is not one ("[not a uri", a space) makes the whole URI malformed.
            return Uri.TryCreate(string.Concat(span[..scheme], "://", authority, "/"), UriKind.Absolute, out var parsed) && parsed.Host.Length > 0;
        }

        return false;
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme) =>
        scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
}
