using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Davit.Server.Accounts;
using Davit.Storage;

namespace Davit.Server.Tests.Accounts;

/// <summary>Users files and Basic credentials for tests against the real server.</summary>
internal static class TestUsers
{
    public static string Write(string file, params UserAccount[] accounts)
    {
        UsersFile.Write(file, accounts);
        return file;
    }

    public static UserAccount User(string name, string password, AccountAccess access = AccountAccess.ReadWrite, string? home = null, params PathRule[] rules) =>
        new(name, PasswordVerifier.Hash(password), access, home is null ? DavPath.Root : DavPath.Parse(home), rules);

    public static HttpClient Client(Uri baseAddress, string name, string password, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = baseAddress;
        client.Timeout = TimeSpan.FromSeconds(60);
        client.DefaultRequestHeaders.Authorization = Header(name, password);
        return client;
    }

    public static AuthenticationHeaderValue Header(string name, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{password}")));

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, string method, string url, string? body = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/xml");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// Every kind of write a client can send, against a tree holding <c>doc.txt</c> and <c>folder/inner.txt</c> (the
    /// latter locked with <paramref name="lockToken"/> by someone else): the status of each, by name.
    /// </summary>
    public static async Task<Dictionary<string, System.Net.HttpStatusCode>> TryEveryWriteAsync(HttpClient client, string lockToken)
    {
        const string lockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";
        var form = new MultipartFormDataContent { { new ByteArrayContent("posted"u8.ToArray()), "file", "posted.txt" } };
        var segment = new ByteArrayContent(new byte[10]);
        segment.Headers.ContentRange = new ContentRangeHeaderValue(0, 9, 100);
        return new Dictionary<string, System.Net.HttpStatusCode>
        {
            ["PUT existing"] = (await client.PutAsync("doc.txt", new StringContent("v2"))).StatusCode,
            ["PUT new"] = (await client.PutAsync("new.txt", new StringContent("new"))).StatusCode,
            ["PUT segment"] = (await client.PutAsync("big.bin", segment)).StatusCode,
            ["POST form"] = (await client.PostAsync("folder/", form)).StatusCode,
            ["DELETE file"] = (await client.DeleteAsync("doc.txt")).StatusCode,
            ["DELETE folder"] = (await client.DeleteAsync("folder/")).StatusCode,
            ["MKCOL"] = (await client.SendAsync("MKCOL", "newdir")).StatusCode,
            ["COPY"] = (await client.SendAsync("COPY", "doc.txt", null, ("Destination", "/copy.txt"))).StatusCode,
            ["COPY over"] = (await client.SendAsync("COPY", "doc.txt", null, ("Destination", "/folder/inner.txt"))).StatusCode,
            ["MOVE"] = (await client.SendAsync("MOVE", "doc.txt", null, ("Destination", "/moved.txt"))).StatusCode,
            ["PROPPATCH"] = (await client.SendAsync("PROPPATCH", "doc.txt", "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x:n xmlns:x=\"urn:x\">1</x:n></D:prop></D:set></D:propertyupdate>")).StatusCode,
            ["LOCK"] = (await client.SendAsync("LOCK", "doc.txt", lockBody)).StatusCode,
            ["LOCK new"] = (await client.SendAsync("LOCK", "locked-new.txt", lockBody)).StatusCode,
            ["UNLOCK"] = (await client.SendAsync("UNLOCK", "folder/inner.txt", null, ("Lock-Token", lockToken))).StatusCode,
            ["CANCELUPLOAD"] = (await client.SendAsync("CANCELUPLOAD", "doc.txt")).StatusCode,
        };
    }

    /// <summary>Sends a request line and headers exactly as written (HttpClient would normalise "..", "%2e" and
    /// friends away) and returns the status code, or -1 when the server closed without answering.</summary>
    public static async Task<int> SendRawAsync(int port, string head, byte[]? body = null)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.TrimEnd('\r', '\n') + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var parts = status?.Split(' ');
        return parts is { Length: > 1 } && int.TryParse(parts[1], out var code) ? code : -1;
    }

    /// <summary>Every file and folder under <paramref name="root"/> with its length, bytes' hash and modification
    /// time, except the metadata database (which reads may touch) and the server's scratch folders (each server
    /// instance has its own staging folder, holding a locked lease file); a write anywhere changes it.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string[] skipped = ["davit.db", "staging", "trash", "journal"];
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path);
            if (skipped.Any(s => relative.StartsWith(".davit" + Path.DirectorySeparatorChar + s, StringComparison.Ordinal)))
            {
                continue;
            }

            entries[relative] = File.Exists(path)
                ? $"{new FileInfo(path).Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))} {File.GetLastWriteTimeUtc(path):O}"
                : $"dir {Directory.GetLastWriteTimeUtc(path):O}";
        }

        return entries;
    }
}
