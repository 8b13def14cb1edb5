using Davit.Storage;

namespace Davit.Engine;

/// <summary>
/// Handles one HTTP method. A method that only reads runs inside a read unit of work and may stream its answer
/// (<see cref="IReadHandler"/>); a method that writes is split into a part that runs before the unit of work and a
/// part inside it, whose answer is sent only after the commit (<see cref="IWriteHandler"/>). Expected failures are
/// thrown: <see cref="DavException"/> for the engine's verdicts, <see cref="StoreException"/> from the store.
/// </summary>
internal interface IMethodHandler
{
    /// <summary>The status this method answers for a store's outcome, or null for the engine's default
    /// (<see cref="StoreStatuses.Default"/>).</summary>
    int? StatusFor(StoreError error) => null;
}

/// <summary>A method that changes nothing. The engine has resolved <see cref="DavRequest.Item"/> and checked the
/// conditional headers (except for GET and HEAD of a file, which check them against the version they send).</summary>
internal interface IReadHandler : IMethodHandler
{
    ValueTask HandleAsync(DavRequest request);
}

/// <summary>
/// A method that changes something. The engine runs <see cref="PrepareAsync"/> outside any unit of work, after a
/// first check of the conditional headers, the If header and the lock tokens (so that a refused request fails before
/// its body is read), then begins a write unit of work, resolves <see cref="DavRequest.Item"/> again, checks all of
/// that again against what it now finds, runs <see cref="ApplyAsync"/>, commits, and only then sends the result.
/// </summary>
internal interface IWriteHandler : IMethodHandler
{
    /// <summary>
    /// Reads and checks the request body and stages uploaded bytes, outside the unit of work. Returns a result to
    /// answer at once, without a unit of work (a segment that leaves an upload incomplete), or null to go on.
    /// </summary>
    ValueTask<DavResult?> PrepareAsync(DavRequest request) => ValueTask.FromResult<DavResult?>(null);

    /// <summary>Makes the changes, inside the unit of work, and says what to answer once they are committed. May run
    /// more than once when the store asks for a retry (<see cref="StoreError.Retry"/>).</summary>
    ValueTask<DavResult> ApplyAsync(DavRequest request);
}
