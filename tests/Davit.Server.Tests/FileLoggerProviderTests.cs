using System.Diagnostics;
using Davit.Server.Logging;
using Microsoft.Extensions.Logging;

namespace Davit.Server.Tests;

public sealed class FileLoggerProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 23, 59, 59, 123, TimeSpan.Zero);

    [Fact]
    public void Writes_Timestamp_Level_Category_Event_And_Message_On_One_Line()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("a.log");
        using (var provider = new FileLoggerProvider(path, new FixedTime(Now)))
        {
            provider.CreateLogger("Davit").Log(LogLevel.Information, new EventId(1), "hello world", null, (state, _) => state);
            provider.CreateLogger("Davit.Server").LogWarning(new EventId(2), "careful");
        }

        Assert.Equal(
            "2026-11-20T23:59:59.123Z info Davit[1] hello world\n2026-11-20T23:59:59.123Z warn Davit.Server[2] careful\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Writes_The_Exception_With_Its_Stack_Trace_On_The_Following_Lines()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("a.log");
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        using (var provider = new FileLoggerProvider(path, new FixedTime(Now)))
        {
            provider.CreateLogger("Davit").LogError(new EventId(9), thrown, "request failed");
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal("2026-11-20T23:59:59.123Z fail Davit[9] request failed", lines[0]);
        Assert.Equal("System.InvalidOperationException: boom", lines[1]);
        Assert.StartsWith("   at ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flushes_Promptly_While_Open_So_The_File_Can_Be_Tailed()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("a.log");
        using var provider = new FileLoggerProvider(path, TimeProvider.System);
        provider.CreateLogger("Davit").LogInformation("first");

        var clock = Stopwatch.StartNew();
        var content = string.Empty;
        while (!content.Contains("first", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            content = await reader.ReadToEndAsync();
        }

        Assert.Contains(" info Davit[0] first", content, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_Writes_Every_Queued_Line_In_Order()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("a.log");
        using (var provider = new FileLoggerProvider(path, new FixedTime(Now)))
        {
            var logger = provider.CreateLogger("Davit");
            for (var i = 0; i < 5000; i++)
            {
                logger.Log(LogLevel.Information, default, i, null, (number, _) => $"line {number}");
            }
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(5000, lines.Length);
        Assert.EndsWith("line 0", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("line 4999", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Appends_To_An_Existing_File()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("a.log");
        File.WriteAllText(path, "before\n");
        using (var provider = new FileLoggerProvider(path, new FixedTime(Now)))
        {
            provider.CreateLogger("Davit").LogInformation("after");
        }

        Assert.Equal("before\n2026-11-20T23:59:59.123Z info Davit[0] after\n", File.ReadAllText(path));
    }

    [Fact]
    public void Logging_After_Dispose_Or_With_A_Throwing_Formatter_Does_Not_Throw()
    {
        using var temp = new TempFolder();
        var provider = new FileLoggerProvider(temp.Combine("a.log"), new FixedTime(Now));
        var logger = provider.CreateLogger("Davit");
        logger.Log(LogLevel.Information, default, "state", null, (_, _) => throw new FormatException("bad state"));
        provider.Dispose();
        provider.Dispose();

        logger.LogInformation("too late");
        Assert.False(logger.IsEnabled(LogLevel.Critical));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
