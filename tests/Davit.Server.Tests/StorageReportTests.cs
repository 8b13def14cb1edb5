namespace Davit.Server.Tests;

/// <summary>
/// At startup the server says where the store's content, its locks and its upload sessions keep their state and how
/// far it reaches; with RequireSharedState it refuses to start while a part is not shared with other servers.
/// </summary>
public sealed class StorageReportTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_File_System_Store_Is_Reported_As_This_Machines()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path);
        Assert.True(await server.WaitForOutputAsync("Application started", ServerProcess.StartTimeout), server.Output);
        foreach (var part in new[] { "content", "locks", "upload sessions" })
        {
            Assert.Contains($"Storage: {part} kept by FileSystemStore: this machine only", server.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_Memory_Store_Is_Reported_As_This_Processs()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--store", "memory", "--root", temp.Path);
        Assert.True(await server.WaitForOutputAsync("Application started", ServerProcess.StartTimeout), server.Output);
        Assert.Contains("Storage: locks kept by InMemoryStore: this process only (lost when it stops)", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requiring_Shared_State_Refuses_To_Start_On_A_Store_That_Is_Not_Shared()
    {
        using var temp = new TempFolder();
        var (exitCode, output) = await ServerProcess.RunToExitAsync(ExitTimeout, "--root", temp.Path, "--urls", "http://127.0.0.1:0",
            "--Davit:Engine:RequireSharedState", "true");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("RequireSharedState is on, but these parts of the storage are not shared with other servers", output, StringComparison.Ordinal);
        Assert.Contains("content (FileSystemStore: this machine only", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turning_Locking_And_Uploads_Off_Is_Reported()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path, "--Davit:Engine:EnableLocking", "false", "--Davit:Engine:EnableResumableUploads", "false");
        Assert.True(await server.WaitForOutputAsync("Application started", ServerProcess.StartTimeout), server.Output);
        Assert.Contains("Storage: locks off", server.Output, StringComparison.Ordinal);
        Assert.Contains("Storage: upload sessions off", server.Output, StringComparison.Ordinal);
    }
}
