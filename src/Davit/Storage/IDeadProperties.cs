using System.Xml.Linq;

namespace Davit.Storage;

/// <summary>
/// Optional capability: the item stores dead properties (any property a client sets with PROPPATCH).
/// </summary>
/// <remarks>
/// Fallback when an item does not implement it: PROPFIND reports no dead properties, and PROPPATCH answers 403 for
/// every property it names, and OPTIONS leaves PROPPATCH out of Allow. Writes take part in the request's unit of
/// work: a PROPPATCH that also sets the modification time (<see cref="IModificationTime"/>) is all or nothing.
/// </remarks>
public interface IDeadProperties
{
    /// <summary>
    /// Returns the dead properties named in <paramref name="names"/> that exist, or all of them when
    /// <paramref name="names"/> is null. Missing names are simply absent from the result.
    /// </summary>
    ValueTask<IReadOnlyList<DeadProperty>> GetPropertiesAsync(IReadOnlyCollection<XName>? names, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="updates"/> in order, all or nothing (RFC 4918 §9.2): if any fails, none takes
    /// effect. Removing a property that does not exist succeeds. Must not change the item's modification time.
    /// </summary>
    /// <exception cref="StoreException"><see cref="StoreError.InsufficientStorage"/>, or
    /// <see cref="StoreError.Forbidden"/> when a property may not be set. Nothing changed in either case; the engine
    /// reports the status for every property in the request.</exception>
    ValueTask UpdatePropertiesAsync(IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken);
}

/// <summary>
/// A dead property: an XML element kept exactly as the client sent it (namespaces and their prefixes, xml:lang,
/// attributes, mixed content, characters above U+FFFF). The element is self-contained: it carries every namespace
/// declaration and the xml:lang that were in scope where the client wrote it.
/// </summary>
/// <param name="Element">The property element. Its name is the property's name.</param>
public sealed record DeadProperty(XElement Element)
{
    /// <summary>The property's name.</summary>
    public XName Name => Element.Name;

    /// <summary>The element as text, for storing: <see cref="Parse"/> gives the same property back.</summary>
    public string ToXml() => Element.ToString(SaveOptions.DisableFormatting);

    /// <summary>Reads a property stored with <see cref="ToXml"/>.</summary>
    public static DeadProperty Parse(string xml) => new(XElement.Parse(xml, LoadOptions.PreserveWhitespace));
}

/// <summary>One instruction of a PROPPATCH: set <see cref="Name"/> to <see cref="Value"/>, or remove it when
/// <see cref="Value"/> is null.</summary>
/// <param name="Name">The property's name.</param>
/// <param name="Value">The new value, or null to remove the property.</param>
public readonly record struct PropertyUpdate(XName Name, DeadProperty? Value)
{
    /// <summary>True when this instruction removes the property.</summary>
    public bool IsRemove => Value is null;
}
