using Microsoft.Net.Http.Headers;

namespace Davit.Http;

/// <summary>What the If header can see of one resource: its entity-tag and the tokens of the locks covering it.</summary>
/// <param name="ETag">The current entity-tag, or null (a collection, or nothing mapped).</param>
/// <param name="LockTokens">The tokens of the unexpired locks that cover the resource.</param>
internal sealed record IfResourceState(EntityTagHeaderValue? ETag, IReadOnlySet<string> LockTokens)
{
    public static readonly IfResourceState Unmapped = new(null, new HashSet<string>());
}

/// <summary>
/// Evaluates an If header (RFC 4918 §10.4.2-4): each list is the AND of its conditions; the header is the OR of its
/// lists. A state token holds when it is the token of a lock covering the list's resource (an unknown token such as
/// DAV:no-lock never does); an entity-tag holds when it matches the resource's (weak comparison, §10.4.8);
/// on an unmapped resource both are false, so "Not" makes them true.
/// </summary>
internal static class IfEvaluator
{
    /// <param name="header">The parsed header.</param>
    /// <param name="stateOf">The state of the resource a list applies to: called with null for untagged lists
    /// (the request URL) and with the raw tag otherwise; a tag outside this server should give
    /// <see cref="IfResourceState.Unmapped"/>.</param>
    public static bool Evaluate(IfHeader header, Func<string?, IfResourceState> stateOf)
    {
        foreach (var list in header.Lists)
        {
            var state = stateOf(list.ResourceTag);
            if (list.Conditions.All(c => Holds(c, state) != c.Not))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(IfCondition condition, IfResourceState state)
    {
        if (condition.StateToken is { } token)
        {
            return state.LockTokens.Contains(token);
        }

        return state.ETag is not null && condition.ETag!.Compare(state.ETag, useStrongComparison: false);
    }
}
