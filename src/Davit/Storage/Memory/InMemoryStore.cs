using System.Globalization;

namespace Davit.Storage.Memory;

/// <summary>
/// A complete store that keeps files, folders and dead properties in memory and forgets them when it is collected.
/// For tests, demos, and as the reference the store conformance suite is written against.
/// </summary>
/// <remarks>
/// <para>Thread safe: one lock guards the tree, and is never held while a request body is read or a response
/// written. A file's content is immutable per version, so readers never wait for writers.</para>
/// <para>Names are exact (ordinal, never Unicode-normalised). Entity tags are strong and unique to every write in
/// the store's lifetime. Files are never <see cref="IPhysicalFile"/>: the engine always reads them through
/// <see cref="IContent.ReadAsync"/>.</para>
/// <para>Files and folders implement <see cref="IModificationTime"/>; setting a file's time keeps its entity tag,
/// which is never shared with any other content.</para>
/// </remarks>
public sealed class InMemoryStore : IDavStore
{
    private readonly MemoryFolderNode root;

    // Entity tags carry a per-instance prefix, so a client that cached one from an earlier process cannot match
    // a different file that happens to reach the same version number.
    private readonly string etagPrefix = Guid.NewGuid().ToString("N")[..8];
    private long etagCounter;

    /// <summary>Creates an empty store holding only the root folder.</summary>
    /// <param name="timeProvider">The clock for creation and modification times; <see cref="TimeProvider.System"/>
    /// when null.</param>
    public InMemoryStore(TimeProvider? timeProvider = null)
    {
        Clock = timeProvider ?? TimeProvider.System;
        root = new MemoryFolderNode(string.Empty, Clock.GetUtcNow());
    }

    internal Lock Gate { get; } = new();

    internal TimeProvider Clock { get; }

    /// <inheritdoc />
    public ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, DavRequestContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Gate)
        {
            MemoryNode node = root;
            foreach (var segment in path.Segments)
            {
                if (node is not MemoryFolderNode folder || !folder.Children.TryGetValue(segment, out var child))
                {
                    return ValueTask.FromResult<IHierarchyItem?>(null);
                }

                node = child;
            }

            return ValueTask.FromResult<IHierarchyItem?>(CreateItem(node, path));
        }
    }

    /// <summary>A new entity tag, different from every other this store has issued.</summary>
    internal string NextETag() =>
        etagPrefix + "-" + Interlocked.Increment(ref etagCounter).ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The item a request sees for <paramref name="node"/>. Call under <see cref="Gate"/>.</summary>
    internal MemoryItem CreateItem(MemoryNode node, DavPath path) => node switch
    {
        MemoryFileNode file => new MemoryFile(this, file, path),
        MemoryFolderNode folder => new MemoryFolder(this, folder, path),
        _ => throw new InvalidOperationException("Unknown node kind."),
    };
}
