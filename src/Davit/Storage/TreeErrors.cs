namespace Davit.Storage;

/// <summary>
/// Collects the members of a COPY, MOVE or DELETE of a tree that failed, while the rest goes on. The engine answers
/// 207 Multi-Status with one response per failed member (RFC 4918 §9.6.1, §9.8.8, §9.9.4). Safe to use from several
/// threads.
/// </summary>
public sealed class TreeErrors
{
    private readonly List<TreeError> errors = [];

    /// <summary>Records that the member at <paramref name="path"/> failed with <paramref name="error"/>.</summary>
    public void Add(DavPath path, StoreError error, string? reason = null)
    {
        lock (errors)
        {
            errors.Add(new TreeError(path, error, reason));
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

    /// <summary>How many members failed so far.</summary>
    public int Count
    {
        get
        {
            lock (errors)
            {
                return errors.Count;
            }
        }
    }

    /// <summary>A snapshot of the failures, in the order they were added.</summary>
    public IReadOnlyList<TreeError> Errors
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
/// <param name="Path">The member's path (for a copy, its destination path).</param>
/// <param name="Error">What happened to it.</param>
/// <param name="Reason">Why, for the log; never sent to clients.</param>
public readonly record struct TreeError(DavPath Path, StoreError Error, string? Reason);
