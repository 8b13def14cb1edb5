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

    /// <summary>A detached copy named <paramref name="name"/>, with the same dead properties; for a folder, with
    /// copies of all members when <paramref name="deep"/>.</summary>
    public abstract MemoryNode Clone(string name, bool deep, InMemoryStore store, DateTimeOffset now);

    public virtual void MarkDeleted() => IsDeleted = true;
}
