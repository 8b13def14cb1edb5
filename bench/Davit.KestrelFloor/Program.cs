// Kestrel's own cost per request, with nothing of Davit in it: every GET gets the same 4 KiB, every PROPFIND the same
// 207 body, 795 bytes long as Davit's answer to PROPFIND Depth 0 allprop on a 4 KiB file, streamed (chunked) as Davit
// streams it. "--routing" puts the answer behind endpoint routing ("/{**path}", as MapWebDav maps it) instead of a
// terminal middleware, which shows what routing costs.
using System.Text;

var routing = args.Contains("--routing");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--routing").ToArray());
// As bench/speed.sh runs Davit: Warning, but the "Now listening on" line that tells the port.
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

var file = new byte[4096];
new Random(16).NextBytes(file);
var multistatus = Encoding.UTF8.GetBytes(Multistatus(795));

var app = builder.Build();
if (routing)
{
    app.Map("/{**path}", AnswerAsync);
}
else
{
    app.Run(AnswerAsync);
}

app.Run();

Task AnswerAsync(HttpContext http)
{
    var response = http.Response;
    if (HttpMethods.IsGet(http.Request.Method))
    {
        response.ContentType = "application/octet-stream";
        response.ContentLength = file.Length;
        return response.Body.WriteAsync(file, http.RequestAborted).AsTask();
    }

    if (http.Request.Method == "PROPFIND")
    {
        response.StatusCode = StatusCodes.Status207MultiStatus;
        response.ContentType = "application/xml; charset=utf-8";
        return response.Body.WriteAsync(multistatus, http.RequestAborted).AsTask();
    }

    response.StatusCode = StatusCodes.Status405MethodNotAllowed;
    return Task.CompletedTask;
}

// A multistatus document of exactly `length` bytes: one response, its display name padded to fit.
static string Multistatus(int length)
{
    const string head = "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/small.bin</D:href>"
        + "<D:propstat><D:prop><D:displayname>";
    const string tail = "</D:displayname><D:getcontentlength>4096</D:getcontentlength><D:resourcetype /></D:prop>"
        + "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>";
    return head + new string('x', length - head.Length - tail.Length) + tail;
}
