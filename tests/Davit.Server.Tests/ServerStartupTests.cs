using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Davit.Server.Tests;

public sealed class ServerStartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serves_The_Root_Given_On_The_Command_Line_On_Loopback_Only()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path);
        Assert.True(await server.WaitForOutputAsync("Application started", ServerProcess.StartTimeout), server.Output);

        using var client = server.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/"));
        // The WebDAV endpoint is mapped at "/", so routing never answers 404 for the root.
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);

        Assert.All(server.ListeningAddresses, address => Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal));
        foreach (var address in OtherLocalAddresses())
        {
            Assert.False(await CanConnectAsync(address, server.Port), $"The server also accepts connections on {address}.");
        }
    }

    [Fact]
    public async Task Logs_The_Root_Store_And_Prefix_At_Startup()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path, "--prefix", "/dav");
        Assert.True(await server.WaitForOutputAsync("Serving the folder", ServerProcess.StartTimeout), server.Output);
        Assert.Contains($"Serving the folder {temp.Path} (file-system store) at path prefix /dav", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creates_The_Root_Folder_When_It_Is_Missing()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("not", "there", "yet");
        await using var server = await ServerProcess.StartAsync("--root", root);
        Assert.True(Directory.Exists(root));
    }

    [Fact]
    public async Task Resolves_A_Relative_Root_Against_The_Current_Directory()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartInAsync(temp.Path, "--root", "served");
        Assert.True(Directory.Exists(temp.Combine("served")), server.Output);
    }

    [Fact]
    public async Task Reads_Options_From_Configuration_Keys_As_Well_As_Switches()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("from-key");
        await using var server = await ServerProcess.StartAsync("--Davit:Root", root, "--Davit:Store", "filesystem");
        Assert.True(Directory.Exists(root), server.Output);
    }

    [Fact]
    public async Task Fails_At_Start_With_A_Clear_Message_When_The_Store_Is_Unknown()
    {
        using var temp = new TempFolder();
        var (exitCode, output) = await ServerProcess.RunToExitAsync(ExitTimeout, "--root", temp.Path, "--store", "floppy", "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Unknown store 'floppy'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_At_Start_With_A_Clear_Message_When_The_Root_Is_Empty()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(ExitTimeout, "--root", "", "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("The root folder is empty", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_At_Start_With_A_Clear_Message_When_The_Prefix_Is_Not_A_Path()
    {
        using var temp = new TempFolder();
        var (exitCode, output) = await ServerProcess.RunToExitAsync(ExitTimeout, "--root", temp.Path, "--prefix", "dav?x", "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("The prefix 'dav?x' is not a URL path", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_At_Start_When_The_Root_Is_A_File()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var (exitCode, output) = await ServerProcess.RunToExitAsync(ExitTimeout, "--root", file, "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"cannot use {file} as the root folder", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_At_Start_When_An_Engine_Option_Is_Invalid()
    {
        using var temp = new TempFolder();
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            ExitTimeout, "--root", temp.Path, "--Davit:Engine:MaxXmlRequestBodySize", "0", "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, exitCode);
        Assert.Contains("MaxXmlRequestBodySize must be positive", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_With_1_And_Logs_The_Stack_Trace_When_The_Port_Is_Taken()
    {
        using var temp = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var log = temp.Combine("server.log");

        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            ExitTimeout, "--root", temp.Combine("root"), "--log-file", log, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        Assert.Contains("crit: Davit.Server[4]", output, StringComparison.Ordinal);
        Assert.Contains("   at ", output, StringComparison.Ordinal);
        var written = await File.ReadAllTextAsync(log);
        Assert.Contains(" crit Davit.Server[4] The server could not start", written, StringComparison.Ordinal);
        Assert.Contains("\n   at ", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_With_0_Within_10_Seconds_On_Sigterm()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path);
        Assert.True(await server.WaitForOutputAsync("Application started", ServerProcess.StartTimeout), server.Output);

        server.Terminate();

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Application is shutting down", server.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<IPAddress> OtherLocalAddresses()
    {
        yield return IPAddress.IPv6Loopback;
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    yield return unicast.Address;
                }
            }
        }
    }

    private static async Task<bool> CanConnectAsync(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(address, port, cts.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
