// A mixed load of WebDAV clients on one shared tree, checked while it runs and at the end.
//
//   dotnet Davit.LoadMix.dll <url> [--clients 16] [--seconds 60] [--seed N]
//
// Each client loops until the time is up, picking at random: PUT, GET, MOVE, COPY, DELETE and PROPPATCH of files in
// shared folders; PROPFIND of those folders; MKCOL, DELETE and PUT into folders that come and go; a LOCK, a PUT with the lock's token, a GET and an UNLOCK; an increment of
// a shared counter (GET, then PUT with If-Match); and a PUT of one of its own files, read back at once. Every answer
// is checked against the statuses some serial order of the same requests could give, every body against the
// checksum it carries (a torn read shows), and at the end every client's own files against what it last got
// acknowledged, and the counter against the increments acknowledged (a lost update shows). The last line is
// "loadmix: ok ..." or "loadmix: FAILED ..."; the exit code is 0 only for ok.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Davit.LoadMix;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 1 || !Uri.TryCreate(args[0].TrimEnd('/') + "/", UriKind.Absolute, out var root))
        {
            Console.Error.WriteLine("usage: Davit.LoadMix <url> [--clients N] [--seconds N] [--seed N]");
            return 2;
        }

        var clients = Option(args, "--clients", 16);
        var seconds = Option(args, "--seconds", 60);
        var seed = Option(args, "--seed", Environment.TickCount);
        var mix = new Mix(root, clients, seed);
        Console.WriteLine($"loadmix: {clients} clients for {seconds} s against {root} (seed {seed})");
        return await mix.RunAsync(TimeSpan.FromSeconds(seconds));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

/// <summary>The shared tree, the clients, and what they saw.</summary>
internal sealed class Mix
{
    public const int SharedFolders = 4;
    public const int SharedNames = 12;
    public const int OwnFiles = 4;
    public const int ChurnFolders = 6;

    private static readonly XNamespace D = "DAV:";

    private readonly Uri root;
    private readonly int clients;
    private readonly int seed;
    private readonly HttpClient http;
    private readonly ConcurrentDictionary<string, int> statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> problems = new();
    private long requests;
    private long serverErrors;
    private long torn;
    private long lost;
    private long unexplained;
    private long broken;
    private long increments;

    public Mix(Uri root, int clients, int seed)
    {
        this.root = root;
        this.clients = clients;
        this.seed = seed;
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 1, AllowAutoRedirect = false })
        {
            BaseAddress = root,
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    public async Task<int> RunAsync(TimeSpan duration)
    {
        await PrepareAsync();
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + duration;
        var own = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => new Client(this, i, seed + i).RunAsync(deadline))));
        var elapsed = clock.Elapsed;
        await FinalCheckAsync(own);

        foreach (var (key, count) in statuses.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {key,-22} {count,8}");
        }

        foreach (var problem in problems.Take(30))
        {
            Console.WriteLine($"  problem: {problem}");
        }

        var ok = serverErrors == 0 && torn == 0 && lost == 0 && unexplained == 0 && broken == 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loadmix: {(ok ? "ok" : "FAILED")} {requests} requests in {elapsed.TotalSeconds:F0} s ({requests / elapsed.TotalSeconds:F0}/s), "
            + $"{serverErrors} 5xx, {lost} lost, {torn} torn, {unexplained} unexplained, {broken} broken off"));
        return ok ? 0 : 1;
    }

    /// <summary>The URL the tree is under.</summary>
    public Uri Root => root;

    public string SharedPath(int folder, int name) => $"mix/shared/s{folder}/n{name}.bin";

    public string OwnPath(int client, int file) => $"mix/own/c{client}/f{file}.bin";

    public const string CounterPath = "mix/counter.txt";

    /// <summary>Sends a request and records its status under "METHOD status".</summary>
    public async Task<Answer?> SendAsync(string method, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        Interlocked.Increment(ref requests);
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate($"{method} {status}", 1, (_, n) => n + 1);
            if (status >= 500)
            {
                Interlocked.Increment(ref serverErrors);
                Problem($"{method} /{path} answered {status}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
            }

            return new Answer(status, body, response.Headers.ETag?.Tag, response.Headers.TryGetValues("Lock-Token", out var tokens) ? tokens.First() : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            Interlocked.Increment(ref broken);
            Problem($"{method} /{path} broke off: {ex.Message}");
            return null;
        }
    }

    /// <summary>Records a status that no serial order of the requests explains.</summary>
    public void Unexplained(string method, string path, int status, string why)
    {
        if (status >= 500)
        {
            return; // Counted as a 5xx already.
        }

        Interlocked.Increment(ref unexplained);
        Problem($"{method} /{path} answered {status}, which no serial order explains: {why}");
    }

    public void Torn(string path, string why)
    {
        Interlocked.Increment(ref torn);
        Problem($"GET /{path} gave a torn body: {why}");
    }

    public void Lost(string what)
    {
        Interlocked.Increment(ref lost);
        Problem($"lost: {what}");
    }

    public void Incremented() => Interlocked.Increment(ref increments);

    public static bool IsWellFormedMultistatus(byte[] body)
    {
        try
        {
            return XDocument.Parse(Encoding.UTF8.GetString(body)).Root?.Name == D + "multistatus";
        }
        catch (System.Xml.XmlException)
        {
            return false;
        }
    }

    public static IEnumerable<string> PropstatStatuses(byte[] body) =>
        XDocument.Parse(Encoding.UTF8.GetString(body)).Descendants(D + "status").Select(s => s.Value);

    private void Problem(string text)
    {
        if (problems.Count < 200)
        {
            problems.Enqueue(text);
        }
    }

    private async Task PrepareAsync()
    {
        foreach (var folder in new[] { "mix/", "mix/shared/", "mix/own/", "mix/dirs/" }
            .Concat(Enumerable.Range(0, SharedFolders).Select(i => $"mix/shared/s{i}/"))
            .Concat(Enumerable.Range(0, clients).Select(i => $"mix/own/c{i}/")))
        {
            var answer = await SendAsync("MKCOL", folder);
            if (answer?.Status is not (201 or 405))
            {
                throw new InvalidOperationException($"MKCOL /{folder} answered {answer?.Status}; is {root} a fresh WebDAV root?");
            }
        }

        if ((await SendAsync("PUT", CounterPath, new StringContent("0")))?.Status is not (201 or 204))
        {
            throw new InvalidOperationException("The counter could not be created.");
        }
    }

    private async Task FinalCheckAsync(IReadOnlyList<Dictionary<string, byte[]>> own)
    {
        for (var client = 0; client < own.Count; client++)
        {
            foreach (var (path, expected) in own[client])
            {
                var answer = await SendAsync("GET", path);
                if (answer is { Status: 200 } && !answer.Body.AsSpan().SequenceEqual(expected))
                {
                    Lost($"/{path} does not hold the last write acknowledged to its only writer");
                }
                else if (answer is not null && answer.Status != 200)
                {
                    Lost($"/{path} answered {answer.Status} after its only writer's last write was acknowledged");
                }
            }
        }

        var counter = await SendAsync("GET", CounterPath);
        var value = counter is { Status: 200 } ? long.Parse(Encoding.ASCII.GetString(counter.Body), CultureInfo.InvariantCulture) : -1;
        Console.WriteLine($"  counter: {value}, increments acknowledged: {Interlocked.Read(ref increments)}");
        if (value != Interlocked.Read(ref increments))
        {
            Lost($"the counter holds {value}, but {increments} increments were acknowledged");
        }

        for (var folder = 0; folder < SharedFolders; folder++)
        {
            var listing = await SendAsync("PROPFIND", $"mix/shared/s{folder}/", null, ("Depth", "1"));
            if (listing is not { Status: 207 } || !IsWellFormedMultistatus(listing.Body))
            {
                Unexplained("PROPFIND", $"mix/shared/s{folder}/", listing?.Status ?? -1, "the final listing failed");
            }

            for (var name = 0; name < SharedNames; name++)
            {
                var path = SharedPath(folder, name);
                var answer = await SendAsync("GET", path);
                if (answer is { Status: 200 })
                {
                    Content.Check(this, path, answer.Body);
                }
            }
        }
    }
}

/// <summary>A status and what came with it.</summary>
internal sealed record Answer(int Status, byte[] Body, string? ETag, string? LockToken);

/// <summary>Bodies that carry their own checksum: "mix client sequence length sha256\n" and then the bytes.</summary>
internal static class Content
{
    public static byte[] Make(int client, long sequence, Random random)
    {
        var payload = new byte[random.Next(0, 48 * 1024)];
        random.NextBytes(payload);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"mix {client} {sequence} {payload.Length} {Convert.ToHexStringLower(SHA256.HashData(payload))}\n"));
        return [.. head, .. payload];
    }

    /// <summary>Checks a body read back; an empty one is a file a LOCK created.</summary>
    public static void Check(Mix mix, string path, byte[] body)
    {
        if (body.Length == 0)
        {
            return;
        }

        var end = Array.IndexOf(body, (byte)'\n');
        var fields = end > 0 ? Encoding.ASCII.GetString(body, 0, end).Split(' ') : [];
        if (fields is not ["mix", _, _, var length, var hash]
            || !int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || body.Length - end - 1 != count
            || Convert.ToHexStringLower(SHA256.HashData(body.AsSpan(end + 1))) != hash)
        {
            mix.Torn(path, $"{body.Length} bytes that do not match their own header");
        }
    }
}

/// <summary>One client: a loop of random operations, each checked.</summary>
internal sealed class Client(Mix mix, int id, int seed)
{
    private readonly Random random = new(seed);
    private readonly Dictionary<string, byte[]> own = new(StringComparer.Ordinal);
    private long sequence;

    public async Task<Dictionary<string, byte[]>> RunAsync(DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            var pick = random.Next(100);
            var task = pick switch
            {
                < 20 => PutSharedAsync(),
                < 35 => GetSharedAsync(),
                < 43 => PutOwnAsync(),
                < 51 => IncrementAsync(),
                < 59 => MoveOrCopyAsync("MOVE"),
                < 67 => MoveOrCopyAsync("COPY"),
                < 73 => DeleteAsync(),
                < 81 => LockCycleAsync(),
                < 89 => ProppatchAsync(),
                < 94 => FolderChurnAsync(),
                _ => PropfindAsync(),
            };
            await task;
        }

        return own;
    }

    private string AnyShared() => mix.SharedPath(random.Next(Mix.SharedFolders), random.Next(Mix.SharedNames));

    private byte[] NewBody() => Content.Make(id, ++sequence, random);

    private async Task PutSharedAsync()
    {
        var path = AnyShared();
        var answer = await mix.SendAsync("PUT", path, new ByteArrayContent(NewBody()));
        Expect(answer, "PUT", path, [201, 204, 423], "a PUT without a token creates, replaces, or meets another client's lock");
    }

    private async Task GetSharedAsync()
    {
        var path = AnyShared();
        var answer = await mix.SendAsync("GET", path);
        if (Expect(answer, "GET", path, [200, 404], "a GET finds the file or not") && answer!.Status == 200)
        {
            Content.Check(mix, path, answer.Body);
        }
    }

    private async Task PutOwnAsync()
    {
        var path = mix.OwnPath(id, random.Next(Mix.OwnFiles));
        var body = NewBody();
        var answer = await mix.SendAsync("PUT", path, new ByteArrayContent(body));
        if (!Expect(answer, "PUT", path, [201, 204], "only this client writes here"))
        {
            return;
        }

        own[path] = body;
        var read = await mix.SendAsync("GET", path);
        if (Expect(read, "GET", path, [200], "only this client writes here") && !read!.Body.AsSpan().SequenceEqual(body))
        {
            mix.Lost($"/{path} read back right after its acknowledged PUT gave other bytes");
        }
    }

    private async Task IncrementAsync()
    {
        var read = await mix.SendAsync("GET", Mix.CounterPath);
        if (!Expect(read, "GET", Mix.CounterPath, [200], "the counter always exists") || read!.ETag is null)
        {
            return;
        }

        var next = long.Parse(Encoding.ASCII.GetString(read.Body), CultureInfo.InvariantCulture) + 1;
        var write = await mix.SendAsync("PUT", Mix.CounterPath, new StringContent(next.ToString(CultureInfo.InvariantCulture)), ("If-Match", read.ETag));
        if (Expect(write, "PUT", Mix.CounterPath, [204, 412], "an If-Match PUT wins or finds the tag changed") && write!.Status == 204)
        {
            mix.Incremented();
        }
    }

    private async Task MoveOrCopyAsync(string method)
    {
        var from = AnyShared();
        var to = AnyShared();
        if (from == to)
        {
            return;
        }

        var answer = await mix.SendAsync(method, from, null, ("Destination", new Uri(mix.Root, to).AbsoluteUri), ("Overwrite", "T"));
        Expect(answer, method, from, [201, 204, 404, 423], "with Overwrite: T a file is moved or copied, or is gone, or a lock is in the way");
    }

    private async Task DeleteAsync()
    {
        var path = AnyShared();
        var answer = await mix.SendAsync("DELETE", path);
        Expect(answer, "DELETE", path, [204, 404, 423], "a DELETE removes the file, finds none, or meets a lock");
    }

    private async Task LockCycleAsync()
    {
        var path = AnyShared();
        var lockBody = $"<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>client {id}</D:owner></D:lockinfo>";
        var locked = await mix.SendAsync("LOCK", path, new StringContent(lockBody, Encoding.UTF8, "application/xml"), ("Timeout", "Second-300"), ("Depth", "0"));
        if (!Expect(locked, "LOCK", path, [200, 201, 423], "a LOCK is granted on the file or a new empty one, or meets another lock") || locked!.Status == 423)
        {
            return;
        }

        var token = locked.LockToken;
        if (token is null)
        {
            mix.Unexplained("LOCK", path, locked.Status, "no Lock-Token header");
            return;
        }

        // Nobody else can change the file now: the PUT with the token succeeds and the GET returns its bytes.
        var body = NewBody();
        var put = await mix.SendAsync("PUT", path, new ByteArrayContent(body), ("If", $"({token})"));
        if (Expect(put, "PUT", path, [201, 204], "the lock's holder writes the locked file"))
        {
            var read = await mix.SendAsync("GET", path);
            if (Expect(read, "GET", path, [200], "the locked file exists") && !read!.Body.AsSpan().SequenceEqual(body))
            {
                mix.Lost($"/{path} under this client's lock gave other bytes than its acknowledged PUT");
            }
        }

        var unlocked = await mix.SendAsync("UNLOCK", path, null, ("Lock-Token", token));
        Expect(unlocked, "UNLOCK", path, [204], "nobody else can remove this client's lock");
    }

    private async Task ProppatchAsync()
    {
        var path = AnyShared();
        var body = $"<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:z=\"urn:loadmix\"><D:set><D:prop><z:by>client {id} #{++sequence}</z:by></D:prop></D:set></D:propertyupdate>";
        var answer = await mix.SendAsync("PROPPATCH", path, new StringContent(body, Encoding.UTF8, "application/xml"));
        if (Expect(answer, "PROPPATCH", path, [207, 404, 423], "a PROPPATCH sets the property, finds no file, or meets a lock") && answer!.Status == 207)
        {
            if (!Mix.IsWellFormedMultistatus(answer.Body) || Mix.PropstatStatuses(answer.Body).Any(s => !s.Contains(" 200 ", StringComparison.Ordinal)))
            {
                mix.Unexplained("PROPPATCH", path, 207, "a property that could be set was not: " + Encoding.UTF8.GetString(answer.Body));
            }
        }
    }

    // Folders created, filled and deleted under one another's feet.
    private async Task FolderChurnAsync()
    {
        var folder = $"mix/dirs/d{random.Next(Mix.ChurnFolders)}/";
        var answer = random.Next(3) switch
        {
            0 => Expect(await mix.SendAsync("MKCOL", folder), "MKCOL", folder, [201, 405], "a MKCOL creates the folder or finds it there"),
            1 => Expect(await mix.SendAsync("DELETE", folder), "DELETE", folder, [204, 404], "a DELETE removes the folder or finds none"),
            _ => Expect(await mix.SendAsync("PUT", folder + "f.bin", new ByteArrayContent(NewBody())), "PUT", folder + "f.bin", [201, 204, 409],
                "a PUT into the folder creates, replaces, or finds the folder gone"),
        };
        _ = answer;
    }

    private async Task PropfindAsync()
    {
        var path = $"mix/shared/s{random.Next(Mix.SharedFolders)}/";
        var answer = await mix.SendAsync("PROPFIND", path, null, ("Depth", "1"));
        if (Expect(answer, "PROPFIND", path, [207], "the shared folders always exist") && !Mix.IsWellFormedMultistatus(answer!.Body))
        {
            mix.Unexplained("PROPFIND", path, 207, "the multistatus is not well-formed XML");
        }
    }

    private bool Expect(Answer? answer, string method, string path, int[] allowed, string rule)
    {
        if (answer is null)
        {
            return false;
        }

        if (!allowed.Contains(answer.Status))
        {
            mix.Unexplained(method, path, answer.Status, rule);
            return false;
        }

        return true;
    }
}
