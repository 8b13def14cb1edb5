using System.Xml.Linq;
using Davit.Xml;

namespace Davit.Engine;

/// <summary>The DAV:error body that names a failed precondition (RFC 4918 §16).</summary>
internal static class ErrorBody
{
    public static string Render(XName condition, IReadOnlyList<string>? hrefs = null)
    {
        var prefix = condition.Namespace == DavNames.Dav ? "D:" : string.Empty;
        var ns = condition.Namespace == DavNames.Dav ? string.Empty : $" xmlns=\"{Escape(condition.NamespaceName)}\"";
        var inner = string.Concat((hrefs ?? []).Select(h => $"<D:href>{Escape(h)}</D:href>"));
        var element = inner.Length == 0
            ? $"<{prefix}{condition.LocalName}{ns}/>"
            : $"<{prefix}{condition.LocalName}{ns}>{inner}</{prefix}{condition.LocalName}>";
        return $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\">{element}</D:error>\n";
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
