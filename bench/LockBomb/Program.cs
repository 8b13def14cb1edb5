using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

// LOCK/UNLOCK load: N workers, each on its own file, each doing M sequential pairs over keep-alive connections.
// A pair counts as an error unless LOCK answers 200 or 201 with a Lock-Token and UNLOCK answers 204.
// Usage: LockBomb <base-url> [workers=20] [pairs-per-worker=2000]
if (args.Length is < 1 or > 3 || !Uri.TryCreate(args[0].TrimEnd('/') + "/", UriKind.Absolute, out var root))
{
    Console.Error.WriteLine("usage: LockBomb <base-url> [workers=20] [pairs-per-worker=2000]");
    return 2;
}

var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var pairs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
var lockBody = Encoding.UTF8.GetBytes(
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
    + "<D:locktype><D:write/></D:locktype><D:owner><D:href>lockbomb</D:href></D:owner></D:lockinfo>");
var lockMethod = new HttpMethod("LOCK");
var unlockMethod = new HttpMethod("UNLOCK");

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = workers,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
};
using var client = new HttpClient(handler) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };

var errors = 0L;
var samples = new List<string>();
void Error(string what)
{
    Interlocked.Increment(ref errors);
    lock (samples)
    {
        if (samples.Count < 10)
        {
            samples.Add(what);
        }
    }
}

// Every worker's file exists before the clock starts, so the run measures LOCK and UNLOCK only.
for (var w = 0; w < workers; w++)
{
    using var put = await client.PutAsync(FileName(w), new ByteArrayContent([1]));
    if (!put.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"PUT {FileName(w)} answered {(int)put.StatusCode}");
        return 1;
    }
}

var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(FileName(w)))));
clock.Stop();

var total = (long)workers * pairs;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"workers={workers} pairs={total} seconds={clock.Elapsed.TotalSeconds:F2} pairs_per_second={total / clock.Elapsed.TotalSeconds:F0} errors={errors}"));
foreach (var sample in samples)
{
    Console.Error.WriteLine(sample);
}

return errors == 0 ? 0 : 1;

async Task WorkAsync(string file)
{
    for (var i = 0; i < pairs; i++)
    {
        try
        {
            using var lockRequest = new HttpRequestMessage(lockMethod, file) { Content = new ByteArrayContent(lockBody) };
            lockRequest.Content.Headers.TryAddWithoutValidation("Content-Type", "application/xml; charset=utf-8");
            lockRequest.Headers.TryAddWithoutValidation("Depth", "0");
            lockRequest.Headers.TryAddWithoutValidation("Timeout", "Second-600");
            string? token;
            using (var locked = await client.SendAsync(lockRequest))
            {
                await locked.Content.ReadAsByteArrayAsync();
                token = locked.Headers.TryGetValues("Lock-Token", out var values) ? values.FirstOrDefault() : null;
                if (locked.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created) || token is null)
                {
                    Error($"LOCK {file} answered {(int)locked.StatusCode}, Lock-Token {token ?? "(none)"}");
                    continue;
                }
            }

            using var unlockRequest = new HttpRequestMessage(unlockMethod, file);
            unlockRequest.Headers.TryAddWithoutValidation("Lock-Token", token);
            using var unlocked = await client.SendAsync(unlockRequest);
            await unlocked.Content.ReadAsByteArrayAsync();
            if (unlocked.StatusCode != HttpStatusCode.NoContent)
            {
                Error($"UNLOCK {file} answered {(int)unlocked.StatusCode}");
            }
        }
        catch (HttpRequestException ex)
        {
            Error($"{file}: {ex.Message}");
        }
        catch (TaskCanceledException ex)
        {
            Error($"{file}: {ex.Message}");
        }
    }
}

static string FileName(int worker) => string.Create(CultureInfo.InvariantCulture, $"lockbomb-{worker}.txt");
