using System.Xml.Linq;
using Davit.Xml;

namespace Davit.Engine;

/// <summary>The DAV:error body that names a failed precondition (RFC 4918 §16).</summary>
internal static class ErrorBody
{
    public static string Render(XName condition)
    {
        var prefix = condition.Namespace == DavNames.Dav ? "D:" : string.Empty;
        var ns = condition.Namespace == DavNames.Dav ? string.Empty : $" xmlns=\"{System.Security.SecurityElement.Escape(condition.NamespaceName)}\"";
        return $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\"><{prefix}{condition.LocalName}{ns}/></D:error>\n";
    }
}
