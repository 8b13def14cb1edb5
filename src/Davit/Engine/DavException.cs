using System.Xml.Linq;

namespace Davit.Engine;

/// <summary>
/// Ends a request with a given HTTP status: the engine's own verdicts (a malformed header, a refused depth, a lock
/// token not submitted). Stores never throw it; they report a <see cref="Storage.StoreException"/> and the method
/// handler chooses the status. The engine turns it into the response in one place; the message is logged, and sent
/// to the client only in development.
/// </summary>
internal class DavException : Exception
{
    /// <summary>Creates an exception that ends the request with <paramref name="statusCode"/>.</summary>
    /// <param name="statusCode">The HTTP status, e.g. 400, 409, 412.</param>
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
