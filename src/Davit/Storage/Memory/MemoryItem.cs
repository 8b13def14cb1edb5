using System.Collections.Immutable;
using System.Xml.Linq;

namespace Davit.Storage.Memory;

/// <summary>What a file and a folder of the in-memory store share: identity, copy, move, delete and dead
/// properties.</summary>
internal abstract class MemoryItem(InMemoryStore store, MemoryNode node, DavPath path) : IHierarchyItem, IDeadProperties
{
    protected InMemoryStore Store { get; } = store;

    public string Name => Path.Name;

    public DavPath Path { get; } = path;

    public DateTimeOffset CreatedUtc => node.CreatedUtc;

    public abstract DateTimeOffset ModifiedUtc { get; }

    public ValueTask CopyToAsync(IFolder destinationFolder, string destinationName, bool deep, MultistatusErrors errors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = ToOwnFolder(destinationFolder);
        CheckName(destinationName);
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            EnsureCanReceive(target, destinationName);
            var now = Store.Clock.GetUtcNow();
            target.Attach(node.Clone(destinationName, deep, Store, now), now);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask MoveToAsync(IFolder destinationFolder, string destinationName, MultistatusErrors errors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = ToOwnFolder(destinationFolder);
        CheckName(destinationName);
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            if (node.Parent is not { } parent)
            {
                throw new DavException(403, "The root cannot be moved.");
            }

            if (ReferenceEquals(parent, target) && string.Equals(node.Name, destinationName, StringComparison.Ordinal))
            {
                return ValueTask.CompletedTask;
            }

            EnsureCanReceive(target, destinationName);
            var now = Store.Clock.GetUtcNow();
            parent.Detach(node, now);
            node.Name = destinationName;
            target.Attach(node, now);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(MultistatusErrors errors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            if (node.Parent is not { } parent)
            {
                throw new DavException(403, "The root cannot be deleted.");
            }

            parent.Detach(node, Store.Clock.GetUtcNow());
            node.MarkDeleted();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DeadProperty>> GetPropertiesAsync(IReadOnlyCollection<XName>? names, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ImmutableDictionary<XName, XElement> properties;
        lock (Store.Gate)
        {
            properties = node.Properties;
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
            var properties = node.Properties.ToBuilder();
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

            node.Properties = properties.ToImmutable();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Throws 404 when the item was deleted after this request resolved it. Call under the lock.</summary>
    protected void EnsureNotDeleted()
    {
        if (node.IsDeleted)
        {
            throw new DavException(404, $"'{Path}' was deleted meanwhile.");
        }
    }

    protected static void CheckName(string name)
    {
        if (!DavPath.IsValidSegment(name))
        {
            throw new ArgumentException($"'{name}' is not a valid name.", nameof(name));
        }
    }

    private MemoryFolderNode ToOwnFolder(IFolder folder) =>
        folder is MemoryFolder own && own.BelongsTo(Store)
            ? own.Node
            : throw new DavException(403, "The destination belongs to another store.");

    // The engine has checked all of this already; these are the races with other requests, and the guard that
    // keeps a folder from being grafted into itself.
    private void EnsureCanReceive(MemoryFolderNode target, string name)
    {
        if (target.IsDeleted)
        {
            throw new DavException(409, "The destination folder was deleted meanwhile.");
        }

        if (target.IsSameOrDescendantOf(node))
        {
            throw new DavException(403, "The destination lies inside the source.");
        }

        if (target.Children.ContainsKey(name))
        {
            throw new DavException(412, $"Something appeared at '{name}' in the destination meanwhile.");
        }
    }
}
