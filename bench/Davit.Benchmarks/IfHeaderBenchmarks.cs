using BenchmarkDotNet.Attributes;
using Davit.Http;

namespace Davit.Benchmarks;

/// <summary>The If header (RFC 4918 §10.4) as clients send it with a locked write: a tagged list with a lock token
/// and an entity tag.</summary>
[MemoryDiagnoser]
public class IfHeaderBenchmarks
{
    private const string Untagged = "(<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>)";

    private const string Tagged = "<http://example.com/docs/report.odt> (<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2> "
        + "[\"e0f1a2b3c4d5\"]) (Not <DAV:no-lock> [\"e0f1a2b3c4d5\"])";

    [Benchmark(Baseline = true)]
    public bool One_Lock_Token() => IfHeader.TryParse(Untagged, out _);

    [Benchmark]
    public bool Tagged_Lists_With_Entity_Tags() => IfHeader.TryParse(Tagged, out _);
}
