using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Davit.Server.Tests;

public sealed partial class LogFileTests
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Log_File_Gets_The_Startup_Lines_In_The_File_Format()
    {
        using var temp = new TempFolder();
        var log = temp.Combine("logs", "server.log");
        await using var server = await ServerProcess.StartAsync("--root", temp.Combine("root"), "--log-file", log);

        var text = await WaitForLogAsync(log, "Davit.Server[3]");
        Assert.Matches(LinePattern("info", "Microsoft.Hosting.Lifetime", 14, "Now listening on: http://127.0.0.1:" + server.Port), text);
        Assert.Matches(LinePattern("info", "Davit.Server", 1, "Serving the folder " + temp.Combine("root")), text);
        Assert.Matches(LinePattern("info", "Davit.Server", 3, "Writing the log to " + log), text);
    }

    [Fact]
    public async Task Log_File_Is_Appended_To_And_Readable_While_The_Server_Runs()
    {
        using var temp = new TempFolder();
        var log = temp.Combine("server.log");
        await File.WriteAllTextAsync(log, "an earlier line\n");
        await using var server = await ServerProcess.StartAsync("--root", temp.Combine("root"), "--log-file", log);

        var text = await WaitForLogAsync(log, "Davit.Server[3]");
        Assert.StartsWith("an earlier line\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_File_Gets_A_Line_For_Each_Request()
    {
        using var temp = new TempFolder();
        var log = temp.Combine("server.log");
        await using var server = await ServerProcess.StartAsync("--root", temp.Combine("root"), "--log-file", log);
        using var client = server.CreateClient();

        using var put = await client.PutAsync("/logged-request.txt", new StringContent("x"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        // The engine writes one summary line per request under the "Davit" category.
        var text = await WaitForLogAsync(log, "/logged-request.txt");
        var line = text.Split('\n').Single(l => l.Contains("/logged-request.txt", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info Davit[.\w]*\[\d+\] ", line);
        Assert.Contains("PUT", line, StringComparison.Ordinal);
        Assert.Contains("201", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_File_Keeps_The_Shutdown_Lines_After_Sigterm()
    {
        using var temp = new TempFolder();
        var log = temp.Combine("server.log");
        await using var server = await ServerProcess.StartAsync("--root", temp.Combine("root"), "--log-file", log);
        Assert.True(await server.WaitForOutputAsync("Application started", ServerProcess.StartTimeout), server.Output);

        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        var text = await File.ReadAllTextAsync(log);
        Assert.Matches(LinePattern("info", "Microsoft.Hosting.Lifetime", 0, "Application is shutting down..."), text);
        Assert.Matches(LinePattern("info", "Davit.Server", 7, "Stopped"), text);
    }

    private static string LinePattern(string level, string category, int eventId, string message) =>
        $@"(?m)^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z {level} {Regex.Escape(category)}\[{eventId}\] {Regex.Escape(message)}";

    /// <summary>Reads the log file (as a tail would, while the server writes it) until it contains <paramref name="text"/>.</summary>
    private static async Task<string> WaitForLogAsync(string path, string text)
    {
        var clock = Stopwatch.StartNew();
        var content = string.Empty;
        while (clock.Elapsed < FlushTimeout)
        {
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                content = await reader.ReadToEndAsync();
                if (content.Contains(text, StringComparison.Ordinal))
                {
                    return content;
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail($"The log file did not contain '{text}' within {FlushTimeout.TotalSeconds} s. It held:\n{content}");
        return content;
    }
}
