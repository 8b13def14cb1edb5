using System.Net;
using System.Net.Http.Headers;
using Davit.Conformance;
using Davit.Conformance.Http;
using Npgsql;

namespace Davit.PostgreSql.Tests;

/// <summary>
/// The node's content cache, seen from outside: what the cache folder holds after a GET, bytes that stay right when
/// the rows or the copies change behind the store's back, a PUT on one node seen by the next GET on another, the
/// budget, and a GET abandoned by its client publishing nothing.
/// </summary>
public sealed class ContentCacheTests
{
    private const int Size = 5 * 1024 * 1024 + 321;

    [Fact]
    public async Task A_Second_Get_Is_Served_From_The_Copy_The_First_Left_In_The_Cache_Folder()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await DavTestServer.StartAsync(database.Open());
        var body = TestBytes.Random(Size, seed: 3);
        await PutAsync(server, "big.bin", body);

        BytesAssert.Equal(body, await server.Client.GetByteArrayAsync("big.bin"));
        var copies = await CopiesAsync(database);
        Assert.Equal(Size, Assert.Single(copies).Length);
        BytesAssert.Equal(body, await File.ReadAllBytesAsync(copies[0].FullName));

        // With the rows gone, only the copy can give these bytes.
        await ExecuteAsync(database, "DELETE FROM chunks");
        BytesAssert.Equal(body, await server.Client.GetByteArrayAsync("big.bin"));
    }

    [Fact]
    public async Task After_A_Put_On_Node_A_Node_B_Gets_The_New_Bytes_Never_Its_Copy_Of_The_Old()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var folderB = Path.Combine(database.CacheFolder, "node-b");
        await using var nodeA = await DavTestServer.StartAsync(database.Open());
        await using var nodeB = await DavTestServer.StartAsync(new PostgreSqlStore(database.Options(o =>
            o.ContentCache = new ContentCacheOptions { Directory = folderB, MaxBytes = 64L << 20, MinimumLength = 1 })));
        var first = TestBytes.Random(Size, seed: 4);
        var second = TestBytes.Random(Size, seed: 5);
        await PutAsync(nodeA, "f.bin", first);
        BytesAssert.Equal(first, await nodeB.Client.GetByteArrayAsync("f.bin"));
        BytesAssert.Equal(first, await nodeB.Client.GetByteArrayAsync("f.bin"));

        await PutAsync(nodeA, "f.bin", second);
        BytesAssert.Equal(second, await nodeB.Client.GetByteArrayAsync("f.bin"));
        BytesAssert.Equal(second, await nodeB.Client.GetByteArrayAsync("f.bin"));
        var range = await RangeAsync(nodeB, "f.bin", "bytes=100-199");
        BytesAssert.Equal(second.AsSpan(100, 100), range);
    }

    [Theory]
    [InlineData("bytes=0-0")]
    [InlineData("bytes=1048570-1048600")]
    [InlineData("bytes=-1000")]
    [InlineData("bytes=4194304-")]
    [InlineData("bytes=10-20,3000000-3100000,5000000-")]
    public async Task Ranges_From_A_Cached_Version_Equal_Ranges_From_The_Rows(string ranges)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cached = await DavTestServer.StartAsync(database.Open());
        await using var rows = await DavTestServer.StartAsync(database.Open(cache: false));
        var body = TestBytes.Random(Size, seed: 6);
        await PutAsync(rows, "r.bin", body);
        await cached.Client.GetByteArrayAsync("r.bin");
        Assert.Single(await CopiesAsync(database));

        var fromCopy = await SendRangeAsync(cached, "r.bin", ranges);
        var fromRows = await SendRangeAsync(rows, "r.bin", ranges);
        Assert.Equal(HttpStatusCode.PartialContent, fromCopy.Status);
        Assert.Equal(fromRows.ContentRange, fromCopy.ContentRange);
        Assert.Equal(fromRows.Body.Length, fromCopy.Body.Length);

        // Multipart bodies differ only in their random boundaries.
        BytesAssert.Equal(WithoutBoundary(fromRows), WithoutBoundary(fromCopy));
        if (!ranges.Contains(',', StringComparison.Ordinal))
        {
            var range = RangeHeaderValue.Parse(ranges).Ranges.Single();
            var from = range.From ?? Size - range.To!.Value;
            BytesAssert.Equal(body.AsSpan((int)from, fromCopy.Body.Length), fromCopy.Body);
        }
    }

    [Fact]
    public async Task A_Copy_Cut_Short_Or_Deleted_Behind_The_Stores_Back_Gives_The_Right_Bytes_And_Is_Made_Again()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await DavTestServer.StartAsync(database.Open());
        var body = TestBytes.Random(Size, seed: 7);
        await PutAsync(server, "c.bin", body);
        await server.Client.GetByteArrayAsync("c.bin");
        var copy = Assert.Single(await CopiesAsync(database));

        await using (var cut = new FileStream(copy.FullName, FileMode.Open, FileAccess.Write))
        {
            cut.SetLength(Size / 2);
        }

        var tail = await RangeAsync(server, "c.bin", "bytes=-1000");
        BytesAssert.Equal(body.AsSpan(Size - 1000), tail);
        Assert.Empty(await CopiesAsync(database));
        BytesAssert.Equal(body, await server.Client.GetByteArrayAsync("c.bin"));
        Assert.Equal(Size, Assert.Single(await CopiesAsync(database)).Length);

        File.Delete(copy.FullName);
        BytesAssert.Equal(body, await server.Client.GetByteArrayAsync("c.bin"));
        Assert.Equal(Size, Assert.Single(await CopiesAsync(database)).Length);

        // A copy as long as its version but holding other bytes cannot be told by its length: the folder is made
        // for this user alone, so that no one else can plant one.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(database.CacheFolder));
        }
    }

    [Fact]
    public async Task The_Folder_Stays_Within_Its_Budget_And_A_Version_Larger_Than_The_Budget_Is_Never_Copied()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var budget = 5L * 1024 * 1024;
        await using var server = await DavTestServer.StartAsync(new PostgreSqlStore(database.Options(o =>
            o.ContentCache = new ContentCacheOptions { Directory = database.CacheFolder, MaxBytes = budget, MinimumLength = 1 })));
        var bodies = Enumerable.Range(0, 3).Select(i => TestBytes.Random(2 * 1024 * 1024, seed: 20 + i)).ToArray();
        for (var i = 0; i < bodies.Length; i++)
        {
            await PutAsync(server, $"b{i}.bin", bodies[i]);
            BytesAssert.Equal(bodies[i], await server.Client.GetByteArrayAsync($"b{i}.bin"));
        }

        var copies = await CopiesAsync(database);
        Assert.True(copies.Sum(c => c.Length) <= budget, $"{copies.Sum(c => c.Length)} bytes cached, over the budget of {budget}");
        Assert.Equal(2, copies.Count);
        BytesAssert.Equal(bodies[2], await File.ReadAllBytesAsync(copies.OrderByDescending(c => c.LastWriteTimeUtc).First().FullName));
        for (var i = 0; i < bodies.Length; i++)
        {
            BytesAssert.Equal(bodies[i], await server.Client.GetByteArrayAsync($"b{i}.bin"));
        }

        var huge = TestBytes.Random((int)budget + 1, seed: 30);
        await PutAsync(server, "huge.bin", huge);
        BytesAssert.Equal(huge, await server.Client.GetByteArrayAsync("huge.bin"));
        Assert.DoesNotContain(await CopiesAsync(database), c => c.Length == huge.Length);
    }

    [Fact]
    public async Task A_Get_Its_Client_Abandons_Publishes_No_Partial_Copy()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await DavTestServer.StartAsync(database.Open());
        var body = TestBytes.Random(48 * 1024 * 1024, seed: 8);
        await PutAsync(server, "a.bin", body);

        using (var client = new HttpClient { BaseAddress = server.Root })
        using (var response = await client.GetAsync("a.bin", HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            var some = new byte[64 * 1024];
            await stream.ReadExactlyAsync(some);
        }

        // The server notices when its next write fails; wait until its fill is gone (deleted, never renamed).
        var folder = await StoreFolderAsync(database);
        for (var i = 0; i < 600 && Directory.Exists(folder) && Directory.EnumerateFiles(folder, ".fill-*").Any(); i++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(Directory.Exists(folder) ? Directory.EnumerateFiles(folder, ".fill-*") : []);
        foreach (var copy in await CopiesAsync(database))
        {
            // Nothing partial: a copy, if the whole body went out before the client left, is all of it.
            BytesAssert.Equal(body, await File.ReadAllBytesAsync(copy.FullName));
        }

        BytesAssert.Equal(body, await server.Client.GetByteArrayAsync("a.bin"));
        Assert.Equal(body.Length, Assert.Single(await CopiesAsync(database)).Length);
    }

    [Fact]
    public async Task A_Cache_Folder_That_Others_Could_Read_Or_Write_Is_Made_This_Users_Alone_Before_A_Copy_Goes_In()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var database = await PostgresDatabase.CreateAsync();
        const UnixFileMode open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
            UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(database.CacheFolder);
        File.SetUnixFileMode(database.CacheFolder, open);
        var body = TestBytes.Random(Size, seed: 11);
        var store = database.Open();
        await store.CreateFileAsync("m.bin", body);

        // The store's own folder inside it, left open too (by hand, or by an older build).
        var folder = await StoreFolderAsync(database);
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, open);

        BytesAssert.Equal(body, await store.ReadFileAsync("m.bin"));
        const UnixFileMode userOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(userOnly, File.GetUnixFileMode(database.CacheFolder));
        Assert.Equal(userOnly, File.GetUnixFileMode(folder));
        Assert.Equal(Size, Assert.Single(await CopiesAsync(database)).Length);
    }

    [Fact]
    public async Task A_Start_Removes_Fills_A_Killed_Process_Left_And_Every_Copy_After_The_Machine_Restarted()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var body = TestBytes.Random(Size, seed: 9);
        var store = database.Open();
        await store.CreateFileAsync("k.bin", body);
        BytesAssert.Equal(body, await store.ReadFileAsync("k.bin"));
        var folder = await StoreFolderAsync(database);
        var leftover = Path.Combine(folder, ".fill-0123456789abcdef");
        await File.WriteAllBytesAsync(leftover, new byte[1000]);
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddHours(-1));

        var second = database.Open();
        BytesAssert.Equal(body, await second.ReadFileAsync("k.bin"));
        Assert.False(File.Exists(leftover));
        Assert.Single(await CopiesAsync(database));

        // Another boot of the machine: copies might not have reached the disk before it went down.
        await File.WriteAllTextAsync(Path.Combine(database.CacheFolder, "boot-id"), "another-boot");
        database.Open();
        Assert.Empty(await CopiesAsync(database));
    }

    private static async Task PutAsync(DavTestServer server, string path, byte[] body)
    {
        var response = await server.Client.PutAsync(path, new ByteArrayContent(body));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent, $"PUT {path}: {response.StatusCode}");
    }

    private static async Task<byte[]> RangeAsync(DavTestServer server, string path, string range)
    {
        var (status, _, body, _) = await SendRangeAsync(server, path, range);
        Assert.Equal(HttpStatusCode.PartialContent, status);
        return body;
    }

    private static async Task<(HttpStatusCode Status, string? ContentRange, byte[] Body, string? Boundary)> SendRangeAsync(DavTestServer server, string path, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Range = RangeHeaderValue.Parse(range);
        using var response = await server.Client.SendAsync(request);
        var boundary = response.Content.Headers.ContentType?.Parameters.FirstOrDefault(p => p.Name == "boundary")?.Value;
        return (response.StatusCode, response.Content.Headers.ContentRange?.ToString(), await response.Content.ReadAsByteArrayAsync(), boundary);
    }

    private static byte[] WithoutBoundary((HttpStatusCode Status, string? ContentRange, byte[] Body, string? Boundary) response) =>
        response.Boundary is null
            ? response.Body
            : System.Text.Encoding.Latin1.GetBytes(System.Text.Encoding.Latin1.GetString(response.Body).Replace(response.Boundary, "BOUNDARY", StringComparison.Ordinal));

    private static async Task<string> StoreFolderAsync(PostgresDatabase database)
    {
        await using var connection = await database.ConnectAsync();
        await using var command = new NpgsqlCommand("SELECT value FROM davit_meta WHERE key = 'store_id'", connection);
        return Path.Combine(database.CacheFolder, (string)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>The published copies of the database's versions (not the fills in progress).</summary>
    private static async Task<List<FileInfo>> CopiesAsync(PostgresDatabase database)
    {
        var folder = await StoreFolderAsync(database);
        return Directory.Exists(folder) ? [.. new DirectoryInfo(folder).EnumerateFiles().Where(f => !f.Name.StartsWith('.'))] : [];
    }

    private static async Task ExecuteAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
