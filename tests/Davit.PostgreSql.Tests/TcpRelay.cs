using System.Net;
using System.Net.Sockets;

namespace Davit.PostgreSql.Tests;

/// <summary>
/// A cable between the store and the cluster that a test can pull out and plug back in: listens on 127.0.0.1 and
/// forwards each connection to the cluster's Unix socket. <see cref="Cut"/> closes the listener and every connection
/// (the database becomes unreachable); <see cref="Restore"/> listens again on the same port.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly string socketPath;
    private readonly List<Socket> open = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;

    public TcpRelay(string socketPath)
    {
        this.socketPath = socketPath;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Accept();
    }

    public int Port { get; }

    public void Cut()
    {
        running?.Cancel();
        listener?.Stop();
        listener = null;
        lock (open)
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }

            open.Clear();
        }
    }

    public void Restore()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Accept();
    }

    private void Accept()
    {
        running = new CancellationTokenSource();
        var token = running.Token;
        var accepting = listener!;
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await accepting.AcceptSocketAsync(token);
                }
                catch (Exception)
                {
                    return;
                }

                var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await server.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                }
                catch (Exception)
                {
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                lock (open)
                {
                    open.Add(client);
                    open.Add(server);
                }

                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }, token);
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception)
        {
            // One side is gone: so is the other.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
