using System.Globalization;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Engine.Methods;

/// <summary>
/// The Windows mini-redirector sets Win32LastModifiedTime (urn:schemas-microsoft-com:, an RFC 1123 date) with
/// PROPPATCH after every upload, so that a copied file keeps its original time. It is kept as a dead property like
/// the other Win32* properties, and also applied as the real modification time when the item can take it, in the same
/// unit of work as the properties.
/// </summary>
internal static class Win32Times
{
    public static readonly XName LastModified = XName.Get("Win32LastModifiedTime", "urn:schemas-microsoft-com:");

    public static async ValueTask ApplyAsync(IHierarchyItem item, IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken)
    {
        if (item is not IModificationTime settable)
        {
            return;
        }

        var set = updates.LastOrDefault(u => u.Name == LastModified);
        if (set.Value is { } value
            && DateTimeOffset.TryParseExact(value.Element.Value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified))
        {
            await settable.SetModifiedAsync(modified, cancellationToken);
        }
    }
}
