using System.Buffers;
using System.Xml;
using System.Xml.Linq;
using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Davit.Xml;

/// <summary>
/// Reads an XML request body with a hardened reader: no DTDs, no external resolution, a size cap. The body is
/// bounded by <see cref="Hosting.DavOptions.MaxXmlRequestBodySize"/>, so reading it whole is safe.
/// </summary>
internal static class XmlRequestReader
{
    /// <summary>True when the request carries a body (or may: a chunked one is read to find out).</summary>
    public static bool MayHaveBody(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return length > 0;
        }

        return request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
    }

    /// <summary>
    /// Parses the body, or returns null when there is none. 400 for XML that is not well-formed (RFC 4918 §8.3),
    /// including a prefix bound to the empty namespace; 413 when the body is larger than the cap.
    /// </summary>
    public static async ValueTask<XDocument?> ReadAsync(DavRequest context)
    {
        using var body = await ReadBytesAsync(context);
        return body is null ? null : Parse(body, context.Options.MaxXmlDepth);
    }

    /// <summary>
    /// The body's bytes, positioned at 0, or null when there is none (or it is empty); 413 when it is larger than the
    /// cap. For a caller that parses them itself (or remembers what they parsed to).
    /// </summary>
    public static async ValueTask<MemoryStream?> ReadBytesAsync(DavRequest context)
    {
        var request = context.Request;
        if (!MayHaveBody(request))
        {
            return null;
        }

        var limit = context.Options.MaxXmlRequestBodySize;
        if (request.ContentLength > limit)
        {
            throw new DavException(StatusCodes.Status413PayloadTooLarge, "The XML request body is larger than the configured limit.");
        }

        // Sized by Content-Length when the client sent one, so a small body is one allocation, not a growing copy.
        var buffer = new MemoryStream(request.ContentLength is { } expected ? (int)Math.Min(expected, 64 * 1024) : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.Aborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new DavException(StatusCodes.Status413PayloadTooLarge, "The XML request body is larger than the configured limit.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (buffer.Length == 0)
        {
            buffer.Dispose();
            return null;
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// Parses a complete XML document from <paramref name="stream"/>, which must be seekable; 400 when not well-formed
    /// or when elements nest deeper than <paramref name="maxDepth"/>. The depth is checked in a first pass that stops
    /// at the first element too deep, before anything is built from the document: building an element tree copies it
    /// recursively, so an input nested 100,000 deep would otherwise exhaust the stack (which no catch can survive).
    /// </summary>
    public static XDocument Parse(Stream stream, int maxDepth)
    {
        if (MayNestDeeperThan(stream, maxDepth))
        {
            CheckDepth(stream, maxDepth);
            stream.Position = 0;
        }

        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException ex)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"The request body is not well-formed XML: {ex.Message}", innerException: ex);
        }
        catch (ArgumentException ex)
        {
            // Well-formed for the reader, but not a namespace-valid tree (an element named xmlns:x, for one).
            throw new DavException(StatusCodes.Status400BadRequest, $"The request body is not namespace-valid XML: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>
    /// False when the body has too few '&lt;' bytes to open more than <paramref name="maxDepth"/> nested elements: every
    /// element starts with one, in UTF-8, UTF-16, UTF-32 and the single-byte encodings the reader knows, and a '&lt;' in a
    /// comment or CDATA only makes the count larger. Such a body (every PROPFIND a client sends in practice) skips the
    /// first pass, which would find nothing the parse itself does not.
    /// </summary>
    private static bool MayNestDeeperThan(Stream stream, int maxDepth)
    {
        if (stream is not MemoryStream memory || !memory.TryGetBuffer(out var bytes))
        {
            return true;
        }

        return bytes.AsSpan((int)memory.Position).Count((byte)'<') > maxDepth;
    }

    private static void CheckDepth(Stream stream, int maxDepth)
    {
        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            while (reader.Read())
            {
                // Depth counts from 0 at the root element.
                if (reader.NodeType == XmlNodeType.Element && reader.Depth >= maxDepth)
                {
                    throw new DavException(StatusCodes.Status400BadRequest, $"The request body nests elements deeper than {maxDepth} levels.");
                }
            }
        }
        catch (XmlException ex)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"The request body is not well-formed XML: {ex.Message}", innerException: ex);
        }
    }

    // Shared: a reader copies what it needs from its settings and never changes them.
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };
}
