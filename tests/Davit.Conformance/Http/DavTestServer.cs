using System.Net.Sockets;
using System.Text;
using Davit.Hosting;
using Davit.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Davit.Conformance.Http;

/// <summary>
/// The real engine on real Kestrel, listening on 127.0.0.1 with a port the OS picks, for one test. Disposing it
/// stops the server.
/// </summary>
public sealed class DavTestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private DavTestServer(WebApplication app, Uri root, string prefix)
    {
        this.app = app;
        Root = root;
        Prefix = prefix;
        Client = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The URL of the WebDAV root, ending in '/'.</summary>
    public Uri Root { get; }

    /// <summary>The mount prefix: "" or "/dav".</summary>
    public string Prefix { get; }

    /// <summary>A client whose base address is <see cref="Root"/>.</summary>
    public HttpClient Client { get; }

    public int Port => Root.Port;

    /// <summary>The application's services (to reach the upload janitor, say).</summary>
    public IServiceProvider Services => app.Services;

    public static async Task<DavTestServer> StartAsync(
        IDavStore store,
        string prefix = "/",
        Action<DavOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication, IEndpointConventionBuilder>? endpoint = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWebDav(o => configure?.Invoke(o)).AddStore(store);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        var mapped = app.MapWebDav(prefix);
        endpoint?.Invoke(app, mapped);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        var trimmed = "/" + prefix.Trim('/');
        var normalized = trimmed == "/" ? string.Empty : trimmed;
        return new DavTestServer(app, new Uri(address, normalized + "/"), normalized);
    }

    /// <summary>An absolute URL for a path below the root given in its encoded form ("a/b%20c").</summary>
    public Uri Url(string encodedRelativePath) => new(Root, encodedRelativePath);

    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, without the blank line) and
    /// <paramref name="body"/> over a raw socket, exactly as written (HttpClient would normalise "..", "%2e" and
    /// friends away), and returns the status code, or -1 when the server closed without answering.
    /// When <paramref name="closeAfterSend"/> is true, the connection is dropped right after sending.
    /// </summary>
    public async Task<int> SendRawAsync(string head, byte[]? body = null, bool closeAfterSend = false)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", Port);
        var stream = socket.GetStream();
        var headBytes = Encoding.UTF8.GetBytes(head.TrimEnd('\r', '\n') + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(headBytes);
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        await stream.FlushAsync();
        if (closeAfterSend)
        {
            socket.Client.LingerState = new LingerOption(true, 0);
            socket.Close();
            return -1;
        }

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (statusLine is null)
        {
            return -1;
        }

        var parts = statusLine.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], out var code) ? code : -1;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
