using BenchmarkDotNet.Attributes;
using Davit.Http;

namespace Davit.Benchmarks;

/// <summary>Request paths decoded into segments: a usual one with escapes, and a 200-level one.</summary>
[MemoryDiagnoser]
public class PathDecodingBenchmarks
{
    private readonly List<string> segments = [];
    private readonly string deep = "/" + string.Concat(Enumerable.Repeat("d/", 200));

    [Benchmark(Baseline = true)]
    public bool Escaped_Four_Levels()
    {
        segments.Clear();
        return PathCodec.TryDecodeSegments("/docs/r%C3%A9sum%C3%A9%20%231/2024/report.pdf", segments);
    }

    [Benchmark]
    public bool Plain_200_Levels()
    {
        segments.Clear();
        return PathCodec.TryDecodeSegments(deep, segments);
    }
}
