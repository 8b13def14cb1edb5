using System.Xml;
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

    /// <summary>
    /// The element as text, for storing: <see cref="Parse"/> gives the same property back. Characters XML 1.0 cannot
    /// carry (control characters, U+FFFE, set by an application rather than a client) are kept as character references;
    /// a surrogate that is not half of a pair, which no UTF-8 text can hold, becomes U+FFFD.
    /// </summary>
    public string ToXml()
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var writer = new Xml.CarryingXmlWriter(XmlWriter.Create(text, StoreSettings), surrogatesOnly: true))
        {
            Element.WriteTo(writer);
        }

        return text.ToString();
    }

    /// <summary>Reads a property stored with <see cref="ToXml"/> (character references to characters XML 1.0 forbids
    /// included; the engine shows those as U+FFFD in a response).</summary>
    /// <exception cref="XmlException">The text is not a well-formed element.</exception>
    public static DeadProperty Parse(string xml)
    {
        // ToXml writes forbidden characters as references, which the reader lets through; one written as it is (a row
        // edited by hand) would stop any reader, so it becomes U+FFFD.
        using var reader = XmlReader.Create(new StringReader(Xml.XmlChars.Carryable(xml)), StoredReading);
        return new(XElement.Load(reader, LoadOptions.PreserveWhitespace));
    }

    private static readonly XmlWriterSettings StoreSettings = new() { OmitXmlDeclaration = true, CheckCharacters = false };

    private static readonly XmlReaderSettings StoredReading = new() { CheckCharacters = false, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
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
