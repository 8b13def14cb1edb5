namespace Davit.Storage.Memory;

/// <summary>One version of a file's content. Immutable: a write publishes a new version by swapping the reference,
/// so a reader sees the old version or the new one, never a mix.</summary>
/// <param name="Bytes">The content.</param>
/// <param name="ETag">Unique to this version within the store.</param>
/// <param name="ContentType">The type the client sent, or null to derive it from the name.</param>
/// <param name="ModifiedUtc">When this version was written.</param>
/// <param name="Hashes">The hashes the engine computed as the bytes came in, or null.</param>
internal sealed record MemoryFileVersion(MemoryBytes Bytes, string ETag, string? ContentType, DateTimeOffset ModifiedUtc, ContentHashes? Hashes = null);
