using System.Net.Sockets;
using System.Text;

namespace Davit.Conformance.Http;

/// <summary>One HTTP/1.1 exchange over a raw socket, as written: the request head and body bytes, and the response's
/// status line and header fields (the body is not read). Bounded by a 30 s timeout.</summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers)
    {
        public string? this[string name] => Headers.GetValueOrDefault(name);
    }

    public static async Task<Response> SendAsync(int port, string head, byte[]? body = null)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new IOException("The server closed without answering.");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return new Response(int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers);
    }

    /// <summary>Sends the head and part of a body announced longer, then drops the connection (RST).</summary>
    public static async Task SendAndDropAsync(int port, string head, byte[] partialBody)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\nHost: 127.0.0.1\r\n\r\n"));
        await stream.WriteAsync(partialBody);
        await stream.FlushAsync();
        socket.Client.LingerState = new LingerOption(true, 0);
    }
}
