using System.Text;
using Davit.Engine;
using Davit.Hosting;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Davit.Tests.Xml;

/// <summary>
/// The 207 writer reuses its XmlWriter and buffer from one answer to the next: every answer must still be a whole
/// document of its own, also right after an answer that failed halfway (whose writer must not be reused).
/// </summary>
public sealed class MultistatusWriterTests
{
    private const string Expected =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/b.txt</D:href>"
        + "<D:propstat><D:prop><D:getcontentlength>4</D:getcontentlength></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
        + "<D:propstat><D:prop><x xmlns=\"urn:x\" /></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>"
        + "</D:response></D:multistatus>";

    private readonly IServiceProvider services = new ServiceCollection().BuildServiceProvider();

    [Fact]
    public async Task Every_Answer_Is_A_Whole_Document_Also_After_One_Left_Halfway()
    {
        for (var i = 0; i < 3; i++)
        {
            // An answer that failed after its first elements: disposed without being completed.
            var (failed, _) = NewRequest();
            using (var writer = MultistatusWriter.Start(failed))
            {
                writer.BeginResponse("/a.txt");
                writer.BeginPropstat();
            }

            Assert.Equal(Expected, await AnswerAsync());
            Assert.Equal(Expected, await AnswerAsync());
        }
    }

    private async Task<string> AnswerAsync()
    {
        var (request, body) = NewRequest();
        using (var writer = MultistatusWriter.Start(request))
        {
            writer.BeginResponse("/b.txt");
            writer.BeginPropstat();
            writer.Xml.WriteElementString("D", "getcontentlength", "DAV:", "4");
            writer.EndPropstat(StatusCodes.Status200OK);
            writer.WritePropstat([System.Xml.Linq.XName.Get("x", "urn:x")], StatusCodes.Status404NotFound);
            writer.EndResponse();
            await writer.FlushIfNeededAsync();
            await writer.CompleteAsync();
        }

        Assert.Equal(StatusCodes.Status207MultiStatus, request.Response.StatusCode);
        return Encoding.UTF8.GetString(body.ToArray());
    }

    private (DavRequest Request, MemoryStream Body) NewRequest()
    {
        var body = new MemoryStream();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = body;
        var parts = new DavEngineParts(new DavOptions(), NullLogger.Instance, TimeProvider.System, null, null);
        return (new DavRequest(http, null!, parts, string.Empty, DavPath.Root), body);
    }
}
