using System.Net;
using System.Security.Cryptography;

namespace Davit.Server.Tests;

/// <summary>End-to-end requests through the real server process, for both stores.</summary>
public sealed class WebDavTests
{
    [Fact]
    public async Task Put_Then_Get_Returns_The_Same_Bytes_And_Stores_Them_Under_The_Root()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path);
        using var client = server.CreateClient();
        var bytes = "Hello, WebDAV.\n"u8.ToArray();

        using var put = await client.PutAsync("/hello.txt", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await client.GetAsync("/hello.txt");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(temp.Combine("hello.txt")));
    }

    [Fact]
    public async Task Memory_Store_Serves_Files_Without_Touching_The_Root()
    {
        using var temp = new TempFolder();
        var root = temp.Combine("unused");
        await using var server = await ServerProcess.StartAsync("--store", "memory", "--root", root);
        using var client = server.CreateClient();
        var bytes = "kept in memory"u8.ToArray();

        using var put = await client.PutAsync("/memo.txt", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await client.GetAsync("/memo.txt");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
        Assert.False(Directory.Exists(root));
        Assert.Contains("Serving an in-memory store", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefix_Mounts_The_Root_Folder_Under_That_Path()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path, "--prefix", "/dav");
        using var client = server.CreateClient();

        using var put = await client.PutAsync("/dav/under-prefix.txt", new StringContent("prefixed"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var outside = await client.GetAsync("/under-prefix.txt");

        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal("prefixed", await File.ReadAllTextAsync(temp.Combine("under-prefix.txt")));
    }

    [Fact]
    public async Task Engine_Options_Are_Read_From_The_Davit_Engine_Section()
    {
        using var temp = new TempFolder();
        await using var server = await ServerProcess.StartAsync("--root", temp.Path, "--Davit:Engine:FolderListing", "false");
        using var client = server.CreateClient();

        using var get = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    [Fact]
    public async Task Put_Larger_Than_Kestrels_Default_Body_Limit_Is_Stored_Whole()
    {
        // Kestrel refuses bodies over 30,000,000 bytes by default; the server must not put that limit back.
        const int Size = 40 * 1024 * 1024;
        using var temp = new TempFolder();
        var source = temp.Combine("upload.bin");
        await using (var file = File.Create(source))
        {
            var block = new byte[1024 * 1024];
            for (var i = 0; i < Size / block.Length; i++)
            {
                Array.Fill(block, (byte)i);
                await file.WriteAsync(block);
            }
        }

        var root = temp.Combine("root");
        await using var server = await ServerProcess.StartAsync("--root", root);
        using var client = server.CreateClient();
        await using (var body = File.OpenRead(source))
        {
            using var put = await client.PutAsync("/big.bin", new StreamContent(body));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var stored = new FileInfo(Path.Combine(root, "big.bin"));
        Assert.Equal(Size, stored.Length);
        Assert.Equal(await HashAsync(source), await HashAsync(stored.FullName));
    }

    private static async Task<byte[]> HashAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return await SHA256.HashDataAsync(stream);
    }
}
