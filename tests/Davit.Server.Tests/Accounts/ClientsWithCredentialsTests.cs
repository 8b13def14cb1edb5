using Davit.Conformance.Http;

namespace Davit.Server.Tests.Accounts;

/// <summary>curl, rclone and cadaver, with a user name and password, do their usual work against the real server
/// (scripts/test.sh installs them from Debian's packages).</summary>
public sealed class ClientsWithCredentialsTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Curl_Uploads_Lists_Downloads_Moves_And_Deletes_With_A_Password()
    {
        using var temp = new TempFolder();
        var (server, root) = await StartAsync(temp);
        await using var _ = server;
        var url = server.BaseAddress.AbsoluteUri;
        var local = temp.Combine("local.bin");
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(local, bytes);

        async Task<string> Curl(params string[] args)
        {
            var (code, output) = await ExternalTool.RunAsync("curl", ["-sS", "-f", "-u", "alice:open sesame", .. args], ToolTimeout);
            Assert.True(code == 0, $"curl {string.Join(' ', args)}: exit {code}: {output}");
            return output;
        }

        await Curl("-X", "MKCOL", url + "docs/");
        await Curl("-T", local, url + "docs/data.bin");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(root, "docs", "data.bin")));
        var listing = await Curl("-X", "PROPFIND", "-H", "Depth: 1", url + "docs/");
        Assert.Contains("/docs/data.bin", listing, StringComparison.Ordinal);
        var downloaded = temp.Combine("down.bin");
        await Curl("-o", downloaded, url + "docs/data.bin");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(downloaded));
        await Curl("-X", "MOVE", "-H", $"Destination: {url}docs/renamed.bin", url + "docs/data.bin");
        Assert.True(File.Exists(Path.Combine(root, "docs", "renamed.bin")));
        await Curl("-X", "DELETE", url + "docs/");
        Assert.False(Directory.Exists(Path.Combine(root, "docs")));

        // Without the password, or with a wrong one: 401, and nothing written.
        var refused = await ExternalTool.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", "alice:wrong", "-T", local, url + "x.bin"], ToolTimeout);
        Assert.Equal("401", refused.Output.Trim());
        Assert.False(File.Exists(Path.Combine(root, "x.bin")));
    }

    [Fact]
    public async Task Rclone_Copies_A_Tree_Up_Checks_It_And_Copies_It_Back()
    {
        using var temp = new TempFolder();
        var (server, root) = await StartAsync(temp);
        await using var _ = server;
        var up = temp.Combine("up");
        Directory.CreateDirectory(Path.Combine(up, "sub"));
        await File.WriteAllTextAsync(Path.Combine(up, "a.txt"), "alpha");
        await File.WriteAllBytesAsync(Path.Combine(up, "sub", "b.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(2_000_000));
        var obscured = (await ExternalTool.RunAsync("rclone", ["obscure", "open sesame"], ToolTimeout)).Output.Trim();
        string[] remote = ["--webdav-url", server.BaseAddress.AbsoluteUri, "--webdav-user", "alice", "--webdav-pass", obscured, "--config", temp.Combine("rclone.conf")];

        async Task Rclone(params string[] args)
        {
            var (code, output) = await ExternalTool.RunAsync("rclone", [.. args, .. remote], ToolTimeout);
            Assert.True(code == 0, $"rclone {string.Join(' ', args)}: exit {code}: {output}");
        }

        await Rclone("copy", up, ":webdav:tree");
        Assert.Equal("alpha", await File.ReadAllTextAsync(Path.Combine(root, "tree", "a.txt")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(up, "sub", "b.bin")), await File.ReadAllBytesAsync(Path.Combine(root, "tree", "sub", "b.bin")));
        await Rclone("check", up, ":webdav:tree");
        var down = temp.Combine("down");
        await Rclone("copy", ":webdav:tree", down);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(up, "sub", "b.bin")), await File.ReadAllBytesAsync(Path.Combine(down, "sub", "b.bin")));
        await Rclone("purge", ":webdav:tree");
        Assert.False(Directory.Exists(Path.Combine(root, "tree")));

        var wrong = (await ExternalTool.RunAsync("rclone", ["obscure", "wrong"], ToolTimeout)).Output.Trim();
        var refused = await ExternalTool.RunAsync("rclone",
            ["lsf", ":webdav:", "--webdav-url", server.BaseAddress.AbsoluteUri, "--webdav-user", "alice", "--webdav-pass", wrong, "--config", temp.Combine("rclone.conf")], ToolTimeout);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("401", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cadaver_With_A_Netrc_Does_A_Whole_Session()
    {
        using var temp = new TempFolder();
        var (server, root) = await StartAsync(temp);
        await using var _ = server;
        var home = temp.Combine("home");
        Directory.CreateDirectory(home);
        var netrc = Path.Combine(home, ".netrc");
        await File.WriteAllTextAsync(netrc, "machine 127.0.0.1\nlogin carol\npassword netrc-password\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(temp.Combine("local.txt"), "from cadaver\n");
        var script = temp.Combine("script.sh");
        await File.WriteAllTextAsync(script, $"""
            printf 'mkcol d\nput local.txt d/x.txt\nls d\nget d/x.txt out.txt\nmove d/x.txt d/y.txt\nlock d/y.txt\nunlock d/y.txt\npropset d/y.txt color red\npropget d/y.txt color\ncopy d/y.txt kept.txt\ndelete d/y.txt\nquit\n' | HOME='{home}' cadaver '{server.BaseAddress.AbsoluteUri}'
            """);
        var (code, output) = await ExternalTool.RunAsync("sh", [script], ToolTimeout, workingDirectory: temp.Path);

        Assert.True(code == 0, output);
        Assert.DoesNotContain("failed", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Value of color is: red", output, StringComparison.Ordinal);
        Assert.Equal("from cadaver\n", await File.ReadAllTextAsync(temp.Combine("out.txt")));
        Assert.Equal("from cadaver\n", await File.ReadAllTextAsync(Path.Combine(root, "kept.txt")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "d")));
    }

    private static async Task<(ServerProcess Server, string Root)> StartAsync(TempFolder temp)
    {
        var root = temp.Combine("root");
        var users = TestUsers.Write(temp.Combine("users.json"), TestUsers.User("alice", "open sesame"), TestUsers.User("carol", "netrc-password"));
        var server = await ServerProcess.StartAsync("--root", root, "--users", users);
        return (server, root);
    }
}
