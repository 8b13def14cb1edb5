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

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.Aborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new DavException(StatusCodes.Status413PayloadTooLarge, "The XML request body is larger than the configured limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return null;
        }

        buffer.Position = 0;
        return Parse(buffer);
    }

    /// <summary>Parses a complete XML document from <paramref name="stream"/>; 400 when not well-formed.</summary>
    public static XDocument Parse(Stream stream)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException ex)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"The request body is not well-formed XML: {ex.Message}", innerException: ex);
        }
    }
}
