using Davit.Storage;

namespace Davit.Locking;

/// <summary>Exclusive or shared (RFC 4918 §6.1). An exclusive lock conflicts with every other lock on the resources
/// it covers; a shared lock conflicts only with exclusive ones.</summary>
public enum LockScope
{
    /// <summary>Only this lock may cover the resource.</summary>
    Exclusive,

    /// <summary>Other shared locks may cover the resource too.</summary>
    Shared,
}

/// <summary>How much a lock covers (RFC 4918 §9.10.3).</summary>
public enum LockDepth
{
    /// <summary>Only the lock root; for a collection, also its membership (adding or removing members).</summary>
    Zero,

    /// <summary>The lock root and every resource below it, including members created later.</summary>
    Infinity,
}

/// <summary>
/// A write lock (RFC 4918 §6, §14.1 activelock), as the engine creates it and a lock store keeps it. Immutable;
/// a refresh produces a copy with a new <see cref="ExpiresUtc"/>.
/// </summary>
/// <param name="Token">The lock token, a "urn:uuid:" URI unique for all time.</param>
/// <param name="Root">The path the lock was taken on (DAV:lockroot). It may be unmapped for a moment while the
/// engine creates the locked empty resource.</param>
/// <param name="Scope">Exclusive or shared.</param>
/// <param name="Depth">Zero or infinity.</param>
/// <param name="OwnerXml">The DAV:owner element exactly as the client sent it (its serialized, self-contained XML),
/// or null when it sent none. The engine gives it back verbatim in DAV:lockdiscovery.</param>
/// <param name="Principal">The authenticated user's name when the lock was taken, or null for anonymous.</param>
/// <param name="Timeout">The granted timeout; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for Infinite.</param>
/// <param name="ExpiresUtc">When the lock vanishes unless refreshed; <see cref="DateTimeOffset.MaxValue"/> for
/// an infinite timeout.</param>
public sealed record ActiveLock(
    string Token,
    DavPath Root,
    LockScope Scope,
    LockDepth Depth,
    string? OwnerXml,
    string? Principal,
    TimeSpan Timeout,
    DateTimeOffset ExpiresUtc)
{
    /// <summary>True once <paramref name="now"/> has reached <see cref="ExpiresUtc"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresUtc;

    /// <summary>True when this lock covers <paramref name="path"/>: it is the root, or the lock has depth infinity
    /// and the path is the root or below it.</summary>
    public bool Covers(DavPath path) => path == Root || (Depth == LockDepth.Infinity && path.IsSameOrDescendantOf(Root));

    /// <summary>True when this lock and <paramref name="other"/> may not both exist: at least one is exclusive, and
    /// one covers the other's root.</summary>
    public bool ConflictsWith(ActiveLock other) =>
        (Scope == LockScope.Exclusive || other.Scope == LockScope.Exclusive) && (Covers(other.Root) || other.Covers(Root));
}
