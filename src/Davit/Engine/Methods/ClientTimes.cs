using System.Globalization;
using System.Xml.Linq;
using Davit.Storage;
using Davit.Xml;

namespace Davit.Engine.Methods;

/// <summary>
/// Modification times set by a client, so that a copied file keeps its original time and a sync tool sees an
/// unchanged file as unchanged. Two ways are taken, both applied only where the item can take a time
/// (<see cref="IModificationTime"/>), in the write's unit of work:
/// <list type="bullet">
/// <item>the ownCloud header <c>X-OC-Mtime: &lt;Unix seconds&gt;</c> on PUT (rclone with vendor owncloud or nextcloud,
/// the ownCloud and Nextcloud clients), answered with <c>X-OC-MTime: accepted</c>;</item>
/// <item>PROPPATCH of DAV:getlastmodified (an RFC 9110 date; lftp) or of DAV:lastmodified (Unix seconds; rclone's
/// ownCloud dialect). Neither is kept as a property: the time is the item's own.</item>
/// </list>
/// </summary>
internal static class ClientTimes
{
    /// <summary>The request header, as ownCloud spells it.</summary>
    public const string Header = "X-OC-Mtime";

    /// <summary>The answer header saying the time was applied (rclone compares the value only).</summary>
    public const string AcceptedHeader = "X-OC-MTime";

    /// <summary>DAV:lastmodified, which ownCloud and rclone use in PROPPATCH (not an RFC 4918 property).</summary>
    public static readonly XName LastModified = XName.Get("lastmodified", DavNames.Namespace);

    /// <summary>True for the names PROPPATCH applies as the item's modification time.</summary>
    public static bool IsTimeName(XName name) => name == LastModified || name == DavNames.GetLastModified;

    /// <summary>
    /// Reads a Unix time in seconds (a fraction allowed, as some clients send one), or an RFC 9110 date. False for
    /// anything else, and for a time outside years 1 to 9999.
    /// </summary>
    public static bool TryParse(string? value, out DateTimeOffset time)
    {
        time = default;
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            var ticks = seconds * TimeSpan.TicksPerSecond;
            var min = (decimal)(DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
            var max = (decimal)(DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
            if (ticks < min || ticks > max)
            {
                return false;
            }

            time = DateTimeOffset.UnixEpoch.AddTicks((long)ticks);
            return true;
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
