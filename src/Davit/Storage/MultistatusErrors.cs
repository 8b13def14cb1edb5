namespace Davit.Storage;

/// <summary>
/// Collects per-member failures of a COPY, MOVE or DELETE of a tree. A store that cannot copy, move or delete one
/// member records it here and goes on with the others; the engine then answers 207 Multi-Status with one response
/// per failed member (RFC 4918 §9.6.1, §9.8.8, §9.9.4). Safe to use from several threads.
/// </summary>
public sealed class MultistatusErrors
{
    private readonly List<MemberError> errors = [];

    /// <summary>Records that the member at <paramref name="path"/> failed with <paramref name="statusCode"/>.</summary>
    public void Add(DavPath path, int statusCode, string? reason = null)
    {
        lock (errors)
        {
            errors.Add(new MemberError(path, statusCode, reason));
        }
    }

    /// <summary>True when at least one member failed.</summary>
    public bool HasErrors
    {
        get
        {
            lock (errors)
            {
                return errors.Count > 0;
            }
        }
    }

    /// <summary>A snapshot of the failures, in the order they were added.</summary>
    public IReadOnlyList<MemberError> Errors
    {
        get
        {
            lock (errors)
            {
                return [.. errors];
            }
        }
    }
}

/// <summary>One failed member of a tree operation.</summary>
/// <param name="Path">The member's path.</param>
/// <param name="StatusCode">The HTTP status for that member, e.g. 403 or 423.</param>
/// <param name="Reason">Why, for the log; never sent to clients.</param>
public readonly record struct MemberError(DavPath Path, int StatusCode, string? Reason);
