using System.Collections.Immutable;

namespace Davit.Storage;

/// <summary>
/// A decoded path relative to the WebDAV root, as a list of name segments. The root has no segments.
/// </summary>
/// <remarks>
/// Segments are exact: they are never Unicode-normalised, so a name sent in NFC and one sent in NFD are two names,
/// and both round-trip unchanged. The engine guarantees that no segment is empty, "." or "..", or contains '/',
/// '\' or a NUL character; <see cref="TryCreate"/> enforces the same rules for paths a store builds itself.
/// <see cref="ToString"/> joins the segments with '/' and no leading or trailing slash ("" for the root).
/// </remarks>
public readonly struct DavPath : IEquatable<DavPath>
{
    private readonly ImmutableArray<string> segments;

    private DavPath(ImmutableArray<string> segments) => this.segments = segments;

    /// <summary>The root of the store.</summary>
    public static DavPath Root => new([]);

    /// <summary>The name segments, outermost first.</summary>
    public ImmutableArray<string> Segments => segments.IsDefault ? [] : segments;

    /// <summary>True for the root.</summary>
    public bool IsRoot => Segments.Length == 0;

    /// <summary>The last segment: the item's name. Empty for the root.</summary>
    public string Name => IsRoot ? string.Empty : Segments[^1];

    /// <summary>The parent path. The root's parent is the root.</summary>
    public DavPath Parent => IsRoot ? this : new DavPath(Segments.RemoveAt(Segments.Length - 1));

    /// <summary>Returns this path with <paramref name="name"/> appended.</summary>
    /// <exception cref="ArgumentException">The name is not a valid segment.</exception>
    public DavPath Append(string name)
    {
        if (!IsValidSegment(name))
        {
            throw new ArgumentException($"'{name}' is not a valid path segment.", nameof(name));
        }

        return new DavPath(Segments.Add(name));
    }

    /// <summary>True when <paramref name="ancestor"/> is this path or one of its ancestors.</summary>
    public bool IsSameOrDescendantOf(DavPath ancestor)
    {
        var mine = Segments;
        var theirs = ancestor.Segments;
        if (theirs.Length > mine.Length)
        {
            return false;
        }

        for (var i = 0; i < theirs.Length; i++)
        {
            if (!string.Equals(mine[i], theirs[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Replaces the leading <paramref name="oldPrefix"/> of this path with <paramref name="newPrefix"/>.</summary>
    /// <exception cref="ArgumentException">This path is not under <paramref name="oldPrefix"/>.</exception>
    public DavPath Rebase(DavPath oldPrefix, DavPath newPrefix)
    {
        if (!IsSameOrDescendantOf(oldPrefix))
        {
            throw new ArgumentException("The path is not under the old prefix.", nameof(oldPrefix));
        }

        return new DavPath(newPrefix.Segments.AddRange(Segments.AsSpan()[oldPrefix.Segments.Length..]));
    }

    /// <summary>Builds a path from segments, refusing any that is not a valid name.</summary>
    public static bool TryCreate(IEnumerable<string> segments, out DavPath path)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var segment in segments)
        {
            if (!IsValidSegment(segment))
            {
                path = Root;
                return false;
            }

            builder.Add(segment);
        }

        path = new DavPath(builder.ToImmutable());
        return true;
    }

    /// <summary>Parses a '/'-separated path (leading and trailing slashes ignored) without any decoding.</summary>
    public static bool TryParse(string value, out DavPath path) =>
        TryCreate(value.Split('/', StringSplitOptions.RemoveEmptyEntries), out path);

    /// <summary>Parses a '/'-separated path; throws when a segment is invalid.</summary>
    /// <exception cref="FormatException">A segment is empty, ".", "..", or holds '\' or NUL.</exception>
    public static DavPath Parse(string value) =>
        TryParse(value, out var path) ? path : throw new FormatException($"'{value}' is not a valid DAV path.");

    /// <summary>True when <paramref name="segment"/> can be a name: not empty, not "." or "..", no '/', '\' or NUL, and
    /// no surrogate that is not half of a pair (such a name has no UTF-8 form, so no URL could name it).</summary>
    public static bool IsValidSegment(string? segment) =>
        !string.IsNullOrEmpty(segment)
        && segment != "."
        && segment != ".."
        && segment.AsSpan().IndexOfAny('/', '\\', '\0') < 0
        && !HasLoneSurrogate(segment);

    private static bool HasLoneSurrogate(string segment)
    {
        var span = segment.AsSpan();
        for (var i = span.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(span[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public bool Equals(DavPath other) => Segments.AsSpan().SequenceEqual(other.Segments.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DavPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var segment in Segments)
        {
            hash.Add(segment, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The segments joined with '/', no leading or trailing slash; "" for the root.</summary>
    public override string ToString() => string.Join('/', Segments);

    /// <summary>Equality by segments.</summary>
    public static bool operator ==(DavPath left, DavPath right) => left.Equals(right);

    /// <summary>Inequality by segments.</summary>
    public static bool operator !=(DavPath left, DavPath right) => !left.Equals(right);
}
