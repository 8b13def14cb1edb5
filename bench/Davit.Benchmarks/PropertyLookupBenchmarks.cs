using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using Davit.FileSystem;
using Davit.Storage;

namespace Davit.Benchmarks;

/// <summary>Dead properties of one item read from the file-system store's SQLite database, as PROPFIND does for each
/// item: an item with three properties, and one with none (the usual case).</summary>
[MemoryDiagnoser]
public class PropertyLookupBenchmarks
{
    private readonly string folder = Directory.CreateTempSubdirectory("davit-bench-props-").FullName;
    private MetadataDatabase? database;

    [GlobalSetup]
    public async Task SetUp()
    {
        database = new MetadataDatabase(Path.Join(folder, "davit.db"));
        var updates = Enumerable.Range(0, 3)
            .Select(i => new PropertyUpdate(XName.Get($"p{i}", "urn:example"), DeadProperty.Parse($"<p{i} xmlns=\"urn:example\">value {i}</p{i}>")))
            .ToList();
        await PropertyRepository.UpdateAsync(database, DavPath.Parse("docs/with.txt"), updates, default);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        database?.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public ValueTask<IReadOnlyList<DeadProperty>> Item_Without_Properties() =>
        PropertyRepository.GetAsync(database!, DavPath.Parse("docs/without.txt"), null, null, default);

    [Benchmark]
    public ValueTask<IReadOnlyList<DeadProperty>> Item_With_Three() =>
        PropertyRepository.GetAsync(database!, DavPath.Parse("docs/with.txt"), null, null, default);
}
