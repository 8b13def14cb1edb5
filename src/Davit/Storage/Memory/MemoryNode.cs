using System.Collections.Immutable;
using System.Xml.Linq;

namespace Davit.Storage.Memory;

/// <summary>
/// A file or folder in the store's tree. Every field is read and written under the store's lock. An item handed to
/// a request refers to its node, so a move keeps the item working and a delete is visible to it.
/// </summary>
internal abstract class MemoryNode(string name, DateTimeOffset createdUtc)
{
    public string Name { get; set; } = name;

    public MemoryFolderNode? Parent { get; set; }

    public DateTimeOffset CreatedUtc { get; } = createdUtc;

    /// <summary>Dead properties by name. The elements are private copies that are never changed, so the whole
    /// map can be shared by a copy of the node.</summary>
    public ImmutableDictionary<XName, XElement> Properties { get; set; } = ImmutableDictionary<XName, XElement>.Empty;

    /// <summary>True once the node, or a folder above it, has been deleted.</summary>
    public bool IsDeleted { get; private set; }

    /// <summary>True when this node is <paramref name="ancestor"/> or lies below it.</summary>
    public bool IsSameOrDescendantOf(MemoryNode ancestor)
    {
        for (MemoryNode? node = this; node is not null; node = node.Parent)
        {
            if (ReferenceEquals(node, ancestor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A detached copy named <paramref name="name"/>, with the same dead properties and no members.</summary>
    public abstract MemoryNode CloneOne(string name, InMemoryStoreState state, DateTimeOffset now);

    /// <summary>A detached copy named <paramref name="name"/>, with the same dead properties; for a folder, with
    /// copies of all members when <paramref name="deep"/>. Iterative: a tree of any depth.</summary>
    public MemoryNode Clone(string name, bool deep, InMemoryStoreState state, DateTimeOffset now)
    {
        var top = CloneOne(name, state, now);
        if (!deep || this is not MemoryFolderNode folder)
        {
            return top;
        }

        var pending = new Stack<(MemoryFolderNode From, MemoryFolderNode To)>();
        pending.Push((folder, (MemoryFolderNode)top));
        while (pending.TryPop(out var pair))
        {
            foreach (var child in pair.From.Children.Values)
            {
                var copy = child.CloneOne(child.Name, state, now);
                pair.To.Attach(copy, now);
                if (child is MemoryFolderNode childFolder)
                {
                    pending.Push((childFolder, (MemoryFolderNode)copy));
                }
            }
        }

        return top;
    }

    /// <summary>Marks this node and everything below it deleted, so items still held by requests see it.</summary>
    public void MarkDeleted()
    {
        var pending = new Stack<MemoryNode>();
        pending.Push(this);
        while (pending.TryPop(out var node))
        {
            node.IsDeleted = true;
            if (node is MemoryFolderNode folder)
            {
                foreach (var child in folder.Children.Values)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
