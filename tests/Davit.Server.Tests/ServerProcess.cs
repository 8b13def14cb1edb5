using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Davit.Server.Tests;

/// <summary>
/// A real Davit.Server process (the Davit.Server.dll built next to the tests, run with <c>dotnet</c>), listening on
/// 127.0.0.1 with a port the OS picks. Dispose stops it: SIGTERM first, SIGKILL if it has not exited 10 s later.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _listeningLines = [];

    private bool _wrapped;

    private ServerProcess(Process process) => _process = process;

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every "Now listening on:" address the server reported.</summary>
    public IReadOnlyList<string> ListeningAddresses
    {
        get
        {
            lock (_output)
            {
                return [.. _listeningLines];
            }
        }
    }

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the server with <paramref name="args"/> plus <c>--urls http://127.0.0.1:0</c> when no --urls is given,
    /// and waits until it reports the address it listens on.
    /// </summary>
    public static Task<ServerProcess> StartAsync(params string[] args) => StartInAsync(workingDirectory: null, args);

    /// <summary>As <see cref="StartAsync"/>, with <paramref name="workingDirectory"/> as the current directory.</summary>
    public static Task<ServerProcess> StartInAsync(string? workingDirectory, params string[] args) =>
        StartInAsync(workingDirectory, wrapper: [], args);

    /// <summary>
    /// As <see cref="StartAsync"/>, run under <paramref name="wrapper"/> (a command and its arguments, such as
    /// strace's, that runs the server as its child). Disposing kills the whole process tree.
    /// </summary>
    public static Task<ServerProcess> StartWrappedAsync(string[] wrapper, params string[] args) =>
        StartInAsync(workingDirectory: null, wrapper, args);

    private static async Task<ServerProcess> StartInAsync(string? workingDirectory, string[] wrapper, string[] args)
    {
        var all = args.Contains("--urls") ? args : [.. args, "--urls", "http://127.0.0.1:0"];
        var server = new ServerProcess(Launch(workingDirectory, all, wrapper)) { _wrapped = wrapper.Length > 0 };
        server.Attach();
        var exited = server._process.WaitForExitAsync();
        var first = await Task.WhenAny(server._listening.Task, exited, Task.Delay(StartTimeout));
        if (first != server._listening.Task)
        {
            var why = first == exited ? $"exited with code {server._process.ExitCode}" : $"did not listen within {StartTimeout.TotalSeconds} s";
            await server.DisposeAsync();
            throw new InvalidOperationException($"The server {why}. Its output:\n{server.Output}");
        }

        server.BaseAddress = await server._listening.Task;
        return server;
    }

    /// <summary>Runs the server expecting it to exit by itself (bad configuration, say); kills it after the timeout.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(TimeSpan timeout, params string[] args)
    {
        await using var server = new ServerProcess(Launch(workingDirectory: null, args, wrapper: []));
        server.Attach();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await server._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The server was still running after {timeout.TotalSeconds} s. Its output:\n{server.Output}");
        }

        return (server._process.ExitCode, server.Output);
    }

    /// <summary>Waits (bounded) until the server's output contains <paramref name="text"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > timeout || _process.HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>A client for this server with a bounded timeout.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> would.</summary>
    public void Terminate()
    {
        // The shell's built-in kill, so the test does not depend on a kill binary being installed.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var arg in (string[])["-c", "kill -TERM \"$1\"", "sh", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        using var kill = Process.Start(start)!;
        kill.WaitForExit(5_000);
    }

    /// <summary>Sends SIGKILL and returns at once (safe to call again, and after the exit).</summary>
    public void KillNow()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally blocks in the server. Returns once it has exited.</summary>
    public async Task KillAsync()
    {
        KillNow();
        if (await WaitForExitAsync(StopTimeout) is null)
        {
            throw new InvalidOperationException("The server outlived SIGKILL.");
        }
    }

    /// <summary>Waits for the process to exit; returns its exit code, or null if it is still running after the timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_wrapped)
            {
                // A wrapper may leave its child running when signalled; the tree goes at once.
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(StopTimeout);
            }
            else if (!_process.HasExited)
            {
                Terminate();
                if (await WaitForExitAsync(StopTimeout) is null)
                {
                    _process.Kill(entireProcessTree: true);
                    await WaitForExitAsync(StopTimeout);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static Process Launch(string? workingDirectory, string[] args, string[] wrapper)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Davit.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The server is built next to the tests (a ProjectReference); build the solution first.", dll);
        }

        // The SDK sets DOTNET_HOST_PATH for the processes it starts (dotnet test); otherwise dotnet is on PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(wrapper.Length > 0 ? wrapper[0] : host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (wrapper.Length > 0)
        {
            foreach (var arg in wrapper[1..])
            {
                start.ArgumentList.Add(arg);
            }

            start.ArgumentList.Add(host);
        }

        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only the command line decides where the server listens.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment.Remove("ASPNETCORE_HTTPS_PORTS");
        start.Environment.Remove("DOTNET_URLS");
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private void Attach()
    {
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
            var match = ListeningPattern().Match(line);
            if (match.Success)
            {
                _listeningLines.Add(match.Groups["url"].Value);
                if (Uri.TryCreate(match.Groups["url"].Value.TrimEnd('/') + "/", UriKind.Absolute, out var uri))
                {
                    _listening.TrySetResult(uri);
                }
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>\S+)")]
    private static partial Regex ListeningPattern();
}
