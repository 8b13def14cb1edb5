using System.Collections.Concurrent;
using System.Text;
using Davit.Engine;

namespace Davit.Xml;

/// <summary>
/// PROPFIND bodies already parsed, by their bytes. A client sends the same few bodies over and over (allprop, or the
/// list of properties its file manager shows), so most PROPFINDs find theirs here instead of building an XML tree
/// again. Only small bodies that parsed are kept, and only the first few distinct ones: a client sending a new body
/// every time costs a lookup, never memory. One instance per engine, so the bodies were parsed under its limits.
/// </summary>
internal sealed class PropfindBodies
{
    private const int MaxBodyLength = 1024;
    private const int MaxBodies = 32;

    // The key holds the body's bytes one char per byte (Latin-1 maps each byte to the char of the same value).
    private readonly ConcurrentDictionary<string, PropfindRequest> parsed = new(StringComparer.Ordinal);

    /// <summary>The request's PROPFIND body, parsed (allprop when there is none); 400 or 413 as the reader decides.</summary>
    public async ValueTask<PropfindRequest> ReadAsync(DavRequest request)
    {
        using var body = await XmlRequestReader.ReadBytesAsync(request);
        if (body is null)
        {
            return PropfindRequest.Parse(null);
        }

        if (body.Length > MaxBodyLength || !body.TryGetBuffer(out var bytes))
        {
            return PropfindRequest.Parse(XmlRequestReader.Parse(body, request.Options.MaxXmlDepth));
        }

        var key = Encoding.Latin1.GetString(bytes);
        if (parsed.TryGetValue(key, out var known))
        {
            return known;
        }

        var propfind = PropfindRequest.Parse(XmlRequestReader.Parse(body, request.Options.MaxXmlDepth));
        if (parsed.Count < MaxBodies)
        {
            parsed.TryAdd(key, propfind);
        }

        return propfind;
    }
}
