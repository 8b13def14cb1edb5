namespace Davit.Uploads;

/// <summary>What the engine needs for uploads in one request: where sessions live, the per-URL writer gate, and the
/// live progress of running requests.</summary>
internal sealed record UploadServices(IUploadSessionStore Sessions, UploadGate Gate, UploadProgressRegistry Progress);
