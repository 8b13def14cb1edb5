using System.Net;
using System.Text;
using Davit.Conformance;
using Davit.Conformance.Http;
using Davit.Server.Tests;
using Npgsql;

namespace Davit.PostgreSql.Tests;

/// <summary>Paths hundreds of levels deep (every tree operation and the locks on them, issue #11), and reads long
/// enough to be fetched by several statements working ahead of the response.</summary>
public sealed class DeepAndLongReadTests
{
    private const int Depth = 300;

    [Fact]
    public async Task A_300_Level_Chain_Is_Made_Locked_Listed_Copied_Moved_And_Deleted()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await DavTestServer.StartAsync(database.Open());
        var client = server.Client;
        var path = new StringBuilder("top/");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync("MKCOL", "top/")).StatusCode);
        for (var level = 2; level <= Depth; level++)
        {
            path.Append("d/");
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync("MKCOL", path.ToString())).StatusCode);
        }

        var bottom = path.ToString();
        var body = Encoding.UTF8.GetBytes("at the bottom");
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(bottom + "f.txt", body)).StatusCode);

        // A lock 100 levels down (deeper than the paths whose ancestors are looked up one by one) covers the bottom.
        var locked = "top/" + string.Concat(Enumerable.Repeat("d/", 99));
        var lockResponse = await client.SendAsync("LOCK", locked,
            """<?xml version="1.0"?><lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope><locktype><write/></locktype></lockinfo>""",
            ("Depth", "infinity"));
        Assert.Equal(HttpStatusCode.OK, lockResponse.StatusCode);
        var token = lockResponse.Headers.GetValues("Lock-Token").Single();
        Assert.Equal((HttpStatusCode)423, (await client.PutAsync(bottom + "f.txt", Encoding.UTF8.GetBytes("no token"))).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await client.SendAsync("MKCOL", bottom + "new/")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync("UNLOCK", locked, null, ("Lock-Token", token))).StatusCode);

        var one = await Dav.MultistatusAsync(await client.PropfindAsync(bottom, "0"));
        Assert.Equal([server.Url(bottom).AbsolutePath], Dav.Hrefs(one));

        var copy = await client.SendAsync("COPY", "top/", null, ("Destination", server.Url("copy/").AbsoluteUri), ("Depth", "infinity"));
        Assert.Equal(HttpStatusCode.Created, copy.StatusCode);
        var copied = "copy/" + bottom["top/".Length..];
        Assert.Equal(body, await client.GetByteArrayAsync(copied + "f.txt"));

        var move = await client.SendAsync("MOVE", "copy/", null, ("Destination", server.Url("moved/").AbsoluteUri));
        Assert.Equal(HttpStatusCode.Created, move.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(copied + "f.txt")).StatusCode);
        Assert.Equal(body, await client.GetByteArrayAsync("moved/" + bottom["top/".Length..] + "f.txt"));

        await using var connection = await database.ConnectAsync();
        Assert.Equal(2L * (Depth + 1) + 1, await CountAsync(connection, "SELECT count(*) FROM nodes"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync("DELETE", "moved/")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync("DELETE", "top/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(bottom + "f.txt")).StatusCode);
        Assert.Equal(1L, await CountAsync(connection, "SELECT count(*) FROM nodes"));
    }

    [Fact]
    public async Task A_Long_Read_Returns_Every_Byte_And_Fails_When_A_Chunk_In_The_Middle_Is_Gone()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = database.Open(cache: false);
        var body = TestBytes.Random(7 * Contents.ChunkSize + 4321, seed: 11);
        var file = await store.CreateFileAsync("long.bin", body);

        var whole = await store.ReadFileAsync("long.bin");
        BytesAssert.Equal(body, whole);
        var offset = Contents.ChunkSize / 2 + 17L;
        var count = 6L * Contents.ChunkSize - 5;
        var range = await file.ReadRangeAsync(offset, count);
        BytesAssert.Equal(body.AsSpan((int)offset, (int)count), range);

        await using (var connection = await database.ConnectAsync())
        {
            await CountAsync(connection, "WITH gone AS (DELETE FROM chunks WHERE idx = 4 RETURNING 1) SELECT count(*) FROM gone");
        }

        await Assert.ThrowsAsync<IOException>(async () => await store.ReadFileAsync("long.bin"));
        await Assert.ThrowsAsync<IOException>(async () => await file.ReadRangeAsync(offset, count));

        // The statements of the failed reads went back to the pool in working order.
        var head = await file.ReadRangeAsync(0, 4L * Contents.ChunkSize);
        BytesAssert.Equal(body.AsSpan(0, 4 * Contents.ChunkSize), head);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
