using System.Diagnostics;

namespace Davit.Conformance.Http;

/// <summary>
/// Runs a real third-party client (curl, aria2c, ...) with a time limit. A missing tool fails the test with a
/// clear message: scripts/test.sh installs every tool the tests need.
/// </summary>
public static class ExternalTool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' is not installed; run scripts/test.sh, which installs it.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} did not finish within {timeout}.");
            }

            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
