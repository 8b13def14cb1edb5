namespace Davit.Conformance;

/// <summary>A body that arrives a few bytes at a time: every read returns at most <c>maxPerRead</c> bytes.</summary>
public sealed class TrickleStream(byte[] data, int maxPerRead) : TestReadStream(data, maxPerRead);
