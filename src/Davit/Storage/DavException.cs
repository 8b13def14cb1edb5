using System.Xml.Linq;

namespace Davit.Storage;

/// <summary>
/// Thrown by a store (or the engine) to end a request with a given HTTP status. The engine turns it into the
/// response in one place; the message is logged, and sent to the client only in development.
/// </summary>
public class DavException : Exception
{
    /// <summary>Creates an exception that ends the request with <paramref name="statusCode"/>.</summary>
    /// <param name="statusCode">The HTTP status, e.g. 403, 409, 507.</param>
    /// <param name="message">Why, for the log.</param>
    /// <param name="condition">An RFC 4918 §16 precondition or postcondition element (e.g. DAV:propfind-finite-depth)
    /// sent in a DAV:error body, or null for none.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DavException(int statusCode, string? message = null, XName? condition = null, Exception? innerException = null)
        : base(message ?? $"WebDAV request failed with status {statusCode}.", innerException)
    {
        StatusCode = statusCode;
        Condition = condition;
    }

    /// <summary>The HTTP status to answer.</summary>
    public int StatusCode { get; }

    /// <summary>The DAV:error condition element, if any.</summary>
    public XName? Condition { get; }
}
