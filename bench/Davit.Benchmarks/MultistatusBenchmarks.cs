using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using Davit.Engine;
using Davit.Hosting;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Davit.Benchmarks;

/// <summary>The streamed 207 writer: one response (PROPFIND Depth 0) and a listing of 100 members, each with a
/// propstat of found properties and one of missing ones, into a discarding body.</summary>
[MemoryDiagnoser]
public class MultistatusBenchmarks
{
    private static readonly XName[] Missing = [XName.Get("quota", "urn:example"), XName.Get("color", "urn:example")];

    private readonly IServiceProvider services = new ServiceCollection().BuildServiceProvider();

    private DavRequest NewRequest()
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = Stream.Null;
        var parts = new DavEngineParts(new DavOptions(), NullLogger.Instance, TimeProvider.System, null, null);
        return new DavRequest(http, null!, parts, string.Empty, DavPath.Root);
    }

    [Benchmark(Baseline = true)]
    public ValueTask One_Response() => WriteAsync(1);

    [Benchmark]
    public ValueTask Hundred_Responses() => WriteAsync(100);

    private async ValueTask WriteAsync(int count)
    {
        using var writer = MultistatusWriter.Start(NewRequest());
        for (var i = 0; i < count; i++)
        {
            writer.BeginResponse($"/docs/file-{i:D4}.txt");
            writer.BeginPropstat();
            writer.Xml.WriteElementString("D", "getcontentlength", "DAV:", "4096");
            writer.Xml.WriteElementString("D", "getetag", "DAV:", "\"1000-5f3a2b1c\"");
            writer.Xml.WriteElementString("D", "getlastmodified", "DAV:", "Sun, 29 Nov 2026 18:00:00 GMT");
            writer.EndPropstat(StatusCodes.Status200OK);
            writer.WritePropstat(Missing, StatusCodes.Status404NotFound);
            writer.EndResponse();
            await writer.FlushIfNeededAsync();
        }

        await writer.CompleteAsync();
    }
}
