namespace Davit.Storage;

/// <summary>The bytes counted for a folder in an <see cref="IUsageLedger"/>.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Bytes">The bytes of file content at or below it.</param>
/// <param name="CountedUtc">When the folder was last counted in full (<see cref="IUsageLedger.CountAsync"/>); the
/// engine counts it again once this is older than <see cref="Hosting.DavOptions.QuotaRecountInterval"/>.</param>
public readonly record struct UsageCount(DavPath Folder, long Bytes, DateTimeOffset CountedUtc);

/// <summary>
/// Optional capability of a store, or of its write unit of work: a small table of byte counts, one row per folder
/// that carries a quota, kept in the same unit of work as the writes that change them. The engine decides what the
/// rows say: it counts a folder in full when it has no row (or an old one) and sets the row, adds every write's change
/// in size to the rows above the written path, and forgets the rows of trees that are moved, copied over or deleted.
/// The store only keeps the rows, and counts a folder when asked.
/// </summary>
/// <remarks>
/// <para>Without it, the engine counts a quota's folder by walking it with <see cref="IFolder.GetChildrenAsync"/>
/// on every write it checks, which costs a request as much as the folder has files (and holds the store's write
/// lock meanwhile). With it, a check costs a few row reads.</para>
/// <para>Where the engine finds it: the unit of work when it implements this interface (so that the rows share its
/// transaction), else the store. Rows changed in a write unit of work must commit or roll back with it, and changes
/// by every instance of the store (other processes, other nodes) must be serializable with its writes, as for
/// <see cref="IUnitOfWork"/>. Outside a unit of work the engine only reads rows (the quota properties of a
/// PROPFIND), and a read need only be whole.</para>
/// <para>A store whose content can change behind its back (files edited on disk by other programs) should forget every
/// row when it opens: the engine counts each folder again on its next write, so such edits are counted from then on.
/// Rows never need a migration: forgetting any of them at any time is always correct, only slower.</para>
/// <para>Every engine serving the store keeps the rows up to date on every write, whether or not it has quotas
/// configured, so that nodes or processes with different configurations never leave a row stale.</para>
/// </remarks>
public interface IUsageLedger
{
    /// <summary>
    /// Counts, now, the bytes of file content at or below <paramref name="path"/>, as the current unit of work sees
    /// them (the file's length for a file, 0 when nothing is there). Folders, dead properties, locks and uploads in
    /// progress count nothing. May take as long as the tree has files; the engine calls it when a row is missing or
    /// old, and for the trees a COPY, MOVE or DELETE changes under a counted folder.
    /// </summary>
    ValueTask<long> CountAsync(DavPath path, CancellationToken cancellationToken);

    /// <summary>The rows of <paramref name="path"/> and of every folder above it, in any order.</summary>
    ValueTask<IReadOnlyList<UsageCount>> GetAsync(DavPath path, CancellationToken cancellationToken);

    /// <summary>Adds the row of <see cref="UsageCount.Folder"/>, or replaces it.</summary>
    ValueTask SetAsync(UsageCount count, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="delta"/> (negative for bytes removed) to the rows of <paramref name="path"/> and of
    /// every folder above it. Rows that do not exist stay absent.</summary>
    ValueTask AddAsync(DavPath path, long delta, CancellationToken cancellationToken);

    /// <summary>Removes the rows of <paramref name="path"/> and of every folder below it.</summary>
    ValueTask ForgetAsync(DavPath path, CancellationToken cancellationToken);
}
