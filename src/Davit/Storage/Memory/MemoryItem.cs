using System.Collections.Immutable;
using System.Xml.Linq;

namespace Davit.Storage.Memory;

/// <summary>What a file and a folder of the in-memory store share: identity, deletion and dead properties.</summary>
internal abstract class MemoryItem(InMemoryStore store, MemoryNode node, DavPath path) : IHierarchyItem, IDeadProperties
{
    protected InMemoryStore Store { get; } = store;

    internal MemoryNode Node { get; } = node;

    public string Name => Path.Name;

    public DavPath Path { get; } = path;

    public DateTimeOffset CreatedUtc => Node.CreatedUtc;

    public abstract DateTimeOffset ModifiedUtc { get; }

    public ValueTask DeleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            if (Node.Parent is not { } parent)
            {
                throw new StoreException(StoreError.Forbidden, "The root cannot be deleted.");
            }

            if (Node is MemoryFolderNode { Children.Count: > 0 })
            {
                throw new StoreException(StoreError.Conflict, $"'{Path}' is not empty.");
            }

            parent.Detach(Node, Store.Clock.GetUtcNow());
            Node.MarkDeleted();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DeadProperty>> GetPropertiesAsync(IReadOnlyCollection<XName>? names, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ImmutableDictionary<XName, XElement> properties;
        lock (Store.Gate)
        {
            properties = Node.Properties;
        }

        if (properties.IsEmpty)
        {
            return ValueTask.FromResult<IReadOnlyList<DeadProperty>>([]);
        }

        // The stored elements are never handed out: the caller may attach or change what it gets.
        IEnumerable<XElement> selected = names is null
            ? properties.Values.OrderBy(e => e.Name.NamespaceName, StringComparer.Ordinal).ThenBy(e => e.Name.LocalName, StringComparer.Ordinal)
            : names.Distinct().Select(n => properties.GetValueOrDefault(n)).OfType<XElement>();
        IReadOnlyList<DeadProperty> result = [.. selected.Select(e => new DeadProperty(new XElement(e)))];
        return ValueTask.FromResult(result);
    }

    public ValueTask UpdatePropertiesAsync(IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var update in updates)
        {
            if (update.Value is { } value && value.Name != update.Name)
            {
                throw new ArgumentException($"The value of {update.Name} is an element named {value.Name}.", nameof(updates));
            }
        }

        // Copies are made before taking the lock; the new map is published in one assignment, so the batch takes
        // effect all at once or not at all. The modification time is deliberately left alone.
        var copies = updates.Select(u => u.Value is null ? null : new XElement(u.Value.Element)).ToArray();
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            var properties = Node.Properties.ToBuilder();
            for (var i = 0; i < updates.Count; i++)
            {
                if (copies[i] is { } element)
                {
                    properties[updates[i].Name] = element;
                }
                else
                {
                    properties.Remove(updates[i].Name);
                }
            }

            Node.Properties = properties.ToImmutable();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Throws <see cref="StoreError.NotFound"/> when the item was deleted after this request resolved it.
    /// Call under the lock.</summary>
    protected void EnsureNotDeleted()
    {
        if (Node.IsDeleted)
        {
            throw new StoreException(StoreError.NotFound, $"'{Path}' was deleted meanwhile.");
        }
    }

    /// <summary>True when this item belongs to <paramref name="state"/> (through any store instance over it).</summary>
    internal bool BelongsTo(InMemoryStoreState state) => ReferenceEquals(Store.State, state);

    protected static void CheckName(string name)
    {
        if (!DavPath.IsValidSegment(name))
        {
            throw new StoreException(StoreError.NameNotSupported, $"'{name}' is not a valid name.");
        }
    }
}
