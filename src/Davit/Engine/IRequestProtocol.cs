namespace Davit.Engine;

/// <summary>
/// A protocol that takes some requests before the method table sees them: the resumable-upload protocols (IT Hit's
/// Content-Range PUT, its upload-progress REPORT and CANCELUPLOAD today) plug into the engine this way, so that the
/// engine's core knows nothing of them.
/// </summary>
internal interface IRequestProtocol
{
    /// <summary>The handler for <paramref name="request"/> when this protocol takes it, else null. Decided from the
    /// method and headers alone; the body is not read here.</summary>
    IMethodHandler? TryGetHandler(DavRequest request);
}
