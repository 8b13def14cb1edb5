using Davit.Storage;

namespace Davit.Server.Accounts;

/// <summary>Read-only or read-write: what a user may do where no path rule says otherwise.</summary>
internal enum AccountAccess
{
    ReadOnly,
    ReadWrite,
}

/// <summary>One rule of a user: allow or deny reading and/or writing at a path and everything below it. Paths are
/// as the user sees them (from their home folder, when they have one).</summary>
/// <param name="Path">Where the rule applies (and below).</param>
/// <param name="Read">Allow (true) or deny (false) reading; null when the rule says nothing about reading.</param>
/// <param name="Write">Allow or deny writing; null when the rule says nothing about writing.</param>
internal sealed record PathRule(DavPath Path, bool? Read, bool? Write);

/// <summary>A user of the users file, validated.</summary>
/// <param name="Name">The user name, exact (case-sensitive).</param>
/// <param name="PasswordHash">ASP.NET Core Identity's PasswordHasher format (PBKDF2 with a random salt).</param>
/// <param name="Access">Read-only or read-write.</param>
/// <param name="Home">The folder the user sees as the root, from the store's root; <see cref="DavPath.Root"/> for none.</param>
/// <param name="Rules">Path rules, in the order they were given.</param>
/// <param name="QuotaBytes">The most bytes the user's home folder may hold (RFC 4331), or null for no quota.</param>
internal sealed record UserAccount(string Name, string PasswordHash, AccountAccess Access, DavPath Home, IReadOnlyList<PathRule> Rules, long? QuotaBytes = null)
{
    /// <summary>
    /// Whether the user may read (<paramref name="write"/> false) or write at <paramref name="path"/>, a path as the
    /// user sees it, and, when <paramref name="tree"/>, everywhere below it too. The rule with the longest path at or
    /// above <paramref name="path"/> that speaks of the kind wins; none, and the account's access decides. Writing
    /// needs reading too, so a denied read below a path also denies writing there.
    /// </summary>
    public bool Allows(DavPath path, bool write, bool tree)
    {
        if (!Decide(path, write: false) || (write && !Decide(path, write: true)))
        {
            return false;
        }

        return !tree || !Rules.Any(r => r.Path != path && r.Path.IsSameOrDescendantOf(path)
            && (r.Read == false || (write && r.Write == false)));
    }

    private bool Decide(DavPath path, bool write)
    {
        PathRule? best = null;
        foreach (var rule in Rules)
        {
            var says = write ? rule.Write : rule.Read;
            if (says is not null && path.IsSameOrDescendantOf(rule.Path)
                && (best is null || rule.Path.Segments.Length >= best.Path.Segments.Length))
            {
                best = rule;
            }
        }

        return best is null
            ? !write || Access == AccountAccess.ReadWrite
            : (write ? best.Write : best.Read)!.Value;
    }
}
