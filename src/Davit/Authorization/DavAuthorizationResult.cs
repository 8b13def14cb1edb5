namespace Davit.Authorization;

/// <summary>An authorizer's answer: allowed, or denied with a reason for the log (never sent to the client).</summary>
/// <param name="Allowed">True when the operation may go ahead.</param>
/// <param name="Reason">Why it was denied, for the log; null when allowed.</param>
public readonly record struct DavAuthorizationResult(bool Allowed, string? Reason)
{
    /// <summary>The operation may go ahead.</summary>
    public static DavAuthorizationResult Allow => new(true, null);

    /// <summary>The operation is refused, for <paramref name="reason"/>.</summary>
    public static DavAuthorizationResult Deny(string reason) => new(false, reason);
}
