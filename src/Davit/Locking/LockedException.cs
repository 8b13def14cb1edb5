using Davit.Engine;
using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Locking;

/// <summary>A 423 (or 409) whose DAV:error condition names resources by href (RFC 4918 §16).</summary>
internal sealed class LockedException(int statusCode, string message, XName condition, IReadOnlyList<string> hrefs)
    : DavException(statusCode, message, condition)
{
    public IReadOnlyList<string> Hrefs { get; } = hrefs;
}
