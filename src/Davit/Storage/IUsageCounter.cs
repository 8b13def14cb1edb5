namespace Davit.Storage;

/// <summary>
/// Optional capability of a store, or of its unit of work: counts the bytes of file content below a path in one step
/// (a database sums a column), for quotas (RFC 4331). Without it, the engine counts by walking the tree with
/// <see cref="IFolder.GetChildrenAsync"/>, which costs as many steps as the tree has folders.
/// </summary>
/// <remarks>
/// <para>Where the engine finds it: the unit of work when it implements this interface, else the store. Inside a write
/// unit of work the count must see that unit of work's own writes and nothing that another writer has not committed:
/// the engine checks a quota there, so that the check and the write take one place in the serial order of writes.</para>
/// <para>Nothing is kept between requests, so a count can never drift from the content: a crash or a restart leaves
/// nothing to put right.</para>
/// </remarks>
public interface IUsageCounter
{
    /// <summary>
    /// The bytes of file content at or below <paramref name="path"/> as the current unit of work sees them: the sum of
    /// the lengths of the files there (a file's own length when it is a file; 0 when nothing is mapped). Folders, dead
    /// properties, locks and uploads in progress count nothing.
    /// </summary>
    ValueTask<long> CountBytesAsync(DavPath path, CancellationToken cancellationToken);
}
