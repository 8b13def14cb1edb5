using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine;

/// <summary>The status the engine answers for a store's outcome, unless the method handler says otherwise
/// (<see cref="IMethodHandler.StatusFor"/>).</summary>
internal static class StoreStatuses
{
    public static int Default(StoreError error) => error switch
    {
        StoreError.NotFound => StatusCodes.Status404NotFound,
        StoreError.AlreadyExists => StatusCodes.Status405MethodNotAllowed,
        StoreError.Conflict => StatusCodes.Status409Conflict,
        StoreError.Forbidden => StatusCodes.Status403Forbidden,
        StoreError.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        StoreError.ChangedMeanwhile => StatusCodes.Status412PreconditionFailed,
        StoreError.Busy => StatusCodes.Status409Conflict,
        StoreError.NameNotSupported => StatusCodes.Status400BadRequest,
        StoreError.NameTooLong => StatusCodes.Status414UriTooLong,
        StoreError.LoopDetected => StatusCodes.Status508LoopDetected,
        StoreError.Unavailable or StoreError.Retry => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The status for <paramref name="error"/> as <paramref name="handler"/> answers it.</summary>
    public static int For(IMethodHandler? handler, StoreError error) => handler?.StatusFor(error) ?? Default(error);
}
