using Microsoft.Net.Http.Headers;

namespace Davit.Http;

/// <summary>One condition of an If list: a state token or an entity-tag, possibly negated (RFC 4918 §10.4).</summary>
/// <param name="Not">True for "Not".</param>
/// <param name="StateToken">The Coded-URL's URI (without angle brackets), or null for an entity-tag condition.</param>
/// <param name="ETag">The entity-tag, or null for a state-token condition.</param>
internal sealed record IfCondition(bool Not, string? StateToken, EntityTagHeaderValue? ETag);

/// <summary>One parenthesised list: true when all its conditions hold for its resource.</summary>
/// <param name="ResourceTag">The tag's raw URI for a tagged list, or null for the request URL.</param>
/// <param name="Conditions">The conditions, ANDed.</param>
internal sealed record IfList(string? ResourceTag, IReadOnlyList<IfCondition> Conditions);

/// <summary>
/// The WebDAV If header (RFC 4918 §10.4): lists that are ORed; the header holds when any list holds. Separately,
/// every state token it names counts as submitted for lock checks, whether or not its list holds (§10.4.1, litmus
/// cond_put_corrupt_token).
/// </summary>
internal sealed class IfHeader
{
    private IfHeader(IReadOnlyList<IfList> lists)
    {
        Lists = lists;
        SubmittedTokens = lists.SelectMany(l => l.Conditions).Where(c => c.StateToken is not null).Select(c => c.StateToken!).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<IfList> Lists { get; }

    public IReadOnlySet<string> SubmittedTokens { get; }

    /// <summary>
    /// Parses the header. False for anything outside the grammar: a mix of tagged and untagged lists, an empty
    /// list, an unclosed bracket, a bad entity-tag, stray text.
    /// </summary>
    public static bool TryParse(string value, out IfHeader header)
    {
        header = new IfHeader([]);
        var lists = new List<IfList>();
        var text = value.AsSpan();
        var position = 0;
        string? currentTag = null;
        bool? tagged = null;
        while (true)
        {
            SkipSpace(text, ref position);
            if (position == text.Length)
            {
                break;
            }

            if (text[position] == '<')
            {
                if (tagged == false || !TryReadCoded(text, ref position, out currentTag))
                {
                    return false;
                }

                tagged = true;
                SkipSpace(text, ref position);
                if (position == text.Length || text[position] != '(')
                {
                    return false; // a tag needs at least one list
                }

                continue;
            }

            if (text[position] != '(')
            {
                return false;
            }

            if (tagged is null)
            {
                tagged = false;
            }

            position++;
            if (!TryReadConditions(text, ref position, out var conditions))
            {
                return false;
            }

            lists.Add(new IfList(tagged == true ? currentTag : null, conditions));
        }

        if (lists.Count == 0)
        {
            return false;
        }

        header = new IfHeader(lists);
        return true;
    }

    private static bool TryReadConditions(ReadOnlySpan<char> text, ref int position, out List<IfCondition> conditions)
    {
        conditions = [];
        while (true)
        {
            SkipSpace(text, ref position);
            if (position == text.Length)
            {
                return false;
            }

            if (text[position] == ')')
            {
                position++;
                return conditions.Count > 0;
            }

            var not = false;
            if (text[position..].StartsWith("Not", StringComparison.OrdinalIgnoreCase))
            {
                not = true;
                position += 3;
                SkipSpace(text, ref position);
                if (position == text.Length)
                {
                    return false;
                }
            }

            if (text[position] == '<')
            {
                if (!TryReadCoded(text, ref position, out var token))
                {
                    return false;
                }

                conditions.Add(new IfCondition(not, token, null));
            }
            else if (text[position] == '[')
            {
                var close = text[position..].IndexOf(']');
                if (close < 0 || !EntityTagHeaderValue.TryParse(text.Slice(position + 1, close - 1).ToString(), out var etag))
                {
                    return false;
                }

                position += close + 1;
                conditions.Add(new IfCondition(not, null, etag));
            }
            else
            {
                return false;
            }
        }
    }

    private static bool TryReadCoded(ReadOnlySpan<char> text, ref int position, out string value)
    {
        value = string.Empty;
        var close = text[position..].IndexOf('>');
        if (close < 2)
        {
            return false;
        }

        var inner = text.Slice(position + 1, close - 1);
        if (inner.ContainsAny(" \t<"))
        {
            return false;
        }

        value = inner.ToString();
        position += close + 1;
        return true;
    }

    private static void SkipSpace(ReadOnlySpan<char> text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }
    }
}
