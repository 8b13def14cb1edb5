namespace Davit.Storage;

/// <summary>
/// Thrown by a store to say what happened (<see cref="StoreError"/>). The engine turns it into a response in one
/// place, with the status the method handler chooses for <see cref="Error"/>. The message is logged, and sent to
/// clients only in development. Any other exception from a store is a failure of the store: 500, logged with its
/// stack trace.
/// </summary>
public class StoreException : Exception
{
    /// <summary>Creates an exception reporting <paramref name="error"/>.</summary>
    /// <param name="error">What happened.</param>
    /// <param name="message">Why, for the log; null for a default text.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StoreException(StoreError error, string? message = null, Exception? innerException = null)
        : base(message ?? $"The store reported {error}.", innerException)
    {
        Error = error;
    }

    /// <summary>What happened.</summary>
    public StoreError Error { get; }
}
