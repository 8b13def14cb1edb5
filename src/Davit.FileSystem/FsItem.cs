using System.Xml.Linq;
using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>What files and folders share: their place on disk, their times, their dead properties, the unit of work
/// they were resolved in.</summary>
internal abstract class FsItem : IHierarchyItem, IDeadProperties
{
    private readonly Preloaded? preloaded;

    protected FsItem(FileSystemStore store, DavPath path, string entryPath, string realPath, FsUnitOfWork? unit, Preloaded? preloaded)
    {
        Store = store;
        Path = path;
        EntryPath = entryPath;
        RealPath = realPath;
        Unit = unit;
        this.preloaded = preloaded;
    }

    public string Name => Path.Name;

    public DavPath Path { get; }

    public abstract DateTimeOffset CreatedUtc { get; }

    public abstract DateTimeOffset ModifiedUtc { get; }

    /// <summary>The directory entry naming the item (a link itself when reached through one).</summary>
    internal string EntryPath { get; }

    /// <summary>Where the content is, links resolved.</summary>
    internal string RealPath { get; }

    internal FileSystemStore Store { get; }

    /// <summary>The write unit of work this item was resolved in, or null.</summary>
    internal FsUnitOfWork? Unit { get; }

    /// <summary>The reading request this item was resolved in, or null (<see cref="FsReadScope"/>).</summary>
    internal FsReadScope? Reads { get; init; }

    /// <summary>Where this item's metadata statements run: its unit of work, or the database on its own.</summary>
    internal IMetadata Metadata => (IMetadata?)Unit ?? Store.Database;

    /// <summary>True when the entry is a symbolic link (to an item inside the root).</summary>
    internal bool IsLink => !string.Equals(EntryPath, RealPath, StringComparison.Ordinal);

    public abstract ValueTask DeleteAsync(CancellationToken cancellationToken);

    public ValueTask<IReadOnlyList<DeadProperty>> GetPropertiesAsync(IReadOnlyCollection<XName>? names, CancellationToken cancellationToken)
    {
        // A listing fetched the members' properties in one query; names outside what it fetched are asked for again.
        if (preloaded is { } fetched && (names is null ? fetched.Selection.IsAll : fetched.Selection.IsAll || names.All(fetched.Selection.Names.Contains)))
        {
            IReadOnlyList<DeadProperty> selected = names is null ? fetched.Values : [.. fetched.Values.Where(p => names.Contains(p.Name))];
            return ValueTask.FromResult(selected);
        }

        return PropertyRepository.GetAsync(Metadata, Path, names, Reads, cancellationToken);
    }

    public ValueTask UpdatePropertiesAsync(IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken) =>
        PropertyRepository.UpdateAsync(Metadata, Path, updates, cancellationToken);

    protected static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>The creation time to report: where the file system keeps none, or the clock was set back, nothing
    /// predates the last change.</summary>
    protected static DateTime CreatedTime(DateTime birth, DateTime modified) =>
        birth <= DateTime.UnixEpoch || birth > modified ? modified : birth;

    /// <summary>The outcome for a modification time the file system refused; a time it cannot represent (before
    /// 1601 on Windows, for instance) is forbidden like a permission it lacks.</summary>
    protected Exception UnsettableTime(Exception exception, DateTimeOffset time) => exception switch
    {
        ArgumentOutOfRangeException or UnauthorizedAccessException => new StoreException(StoreError.Forbidden, $"The modification time of '{Path}' cannot be {time:O}.", exception),
        _ when IoErrors.HasOutcome(exception) => IoErrors.ToStore(exception, $"Could not set the modification time of '{Path}'."),
        _ => exception,
    };
}

/// <summary>Dead properties a listing fetched for an item, and which names the fetch covered.</summary>
internal sealed record Preloaded(IReadOnlyList<DeadProperty> Values, PropertySelection Selection);
