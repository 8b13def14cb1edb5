using Davit.Authorization;

namespace Davit.Engine;

/// <summary>
/// A handler whose request writes another resource than its method says: the upload protocols' requests (a tus POST
/// to a folder creates a file in it; a PATCH, HEAD or DELETE on an upload resource concerns the file the upload
/// becomes). The engine asks the handler, instead of its table by method, which accesses the request needs and which
/// lock tokens it must submit; both are asked before the handler's first step and again inside the unit of work.
/// </summary>
internal interface IOwnRules
{
    /// <summary>The accesses the request needs (an empty list: none, as for a CORS preflight).</summary>
    ValueTask<IReadOnlyList<AccessCheck>> AccessAsync(DavRequest request);

    /// <summary>Throws 423 when a lock whose token was not submitted forbids the request.</summary>
    ValueTask RequireLockTokensAsync(DavRequest request);
}
