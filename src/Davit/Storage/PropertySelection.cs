using System.Xml.Linq;

namespace Davit.Storage;

/// <summary>
/// Which dead properties a caller will read from the items a listing yields (<see cref="IFolder.GetChildrenAsync"/>):
/// none, these names, or all of them. A store that keeps properties apart from the tree can fetch the members and
/// their properties in one query.
/// </summary>
public sealed class PropertySelection
{
    private PropertySelection(bool all, IReadOnlyCollection<XName> names)
    {
        IsAll = all;
        Names = names;
    }

    /// <summary>No dead property will be read (a listing, a tree walk).</summary>
    public static PropertySelection None { get; } = new(false, []);

    /// <summary>Every dead property will be read (PROPFIND allprop and propname).</summary>
    public static PropertySelection All { get; } = new(true, []);

    /// <summary>True for <see cref="All"/>.</summary>
    public bool IsAll { get; }

    /// <summary>The names asked for; empty for <see cref="None"/> and <see cref="All"/>.</summary>
    public IReadOnlyCollection<XName> Names { get; }

    /// <summary>True when no dead property will be read.</summary>
    public bool IsNone => !IsAll && Names.Count == 0;

    /// <summary>These names (and no others) will be read; <see cref="None"/> when there are none.</summary>
    public static PropertySelection Of(IReadOnlyCollection<XName> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Count == 0 ? None : new PropertySelection(false, names);
    }
}
