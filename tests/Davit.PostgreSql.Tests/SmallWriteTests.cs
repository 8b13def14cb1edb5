using System.Net;
using System.Net.Http.Headers;
using Davit.Conformance;
using Davit.Conformance.Http;
using Davit.Server.Tests;
using Davit.Storage;
using Npgsql;

namespace Davit.PostgreSql.Tests;

/// <summary>A small body is kept in memory until the write's own transaction inserts it: one commit per small PUT.
/// Larger bodies, and bodies longer than announced, are staged in the database as before.</summary>
public sealed class SmallWriteTests
{
    [Fact]
    public async Task Puts_Around_The_In_Memory_Limit_Store_Every_Byte_And_Overwrite_With_A_Stale_IfMatch_Is_412()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = database.Open();
        await using var server = await DavTestServer.StartAsync(store);
        foreach (var size in new[] { 0, 1, PgBuffered.Limit - 1, PgBuffered.Limit, PgBuffered.Limit + 1, Contents.ChunkSize + 1 })
        {
            var body = TestBytes.Random(size, seed: size);
            var put = await server.Client.PutAsync($"f{size}.bin", new ByteArrayContent(body));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            BytesAssert.Equal(body, await server.Client.GetByteArrayAsync($"f{size}.bin"));
        }

        var first = await server.Client.GetAsync($"f{PgBuffered.Limit}.bin");
        var stale = first.Headers.ETag!;
        var second = TestBytes.Random(100, seed: 1);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.PutAsync($"f{PgBuffered.Limit}.bin", new ByteArrayContent(second))).StatusCode);
        using var conditional = new HttpRequestMessage(HttpMethod.Put, $"f{PgBuffered.Limit}.bin") { Content = new ByteArrayContent(TestBytes.Random(50, seed: 2)) };
        conditional.Headers.IfMatch.Add(new EntityTagHeaderValue(stale.Tag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await server.Client.SendAsync(conditional)).StatusCode);
        BytesAssert.Equal(second, await server.Client.GetByteArrayAsync($"f{PgBuffered.Limit}.bin"));

        // Every stored version is one file's; the replaced one waits for the sweep; nothing else was left behind.
        await using var connection = await database.ConnectAsync();
        Assert.Equal(7L, await ScalarAsync(connection, "SELECT count(*) FROM contents"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM contents c WHERE NOT EXISTS (SELECT 1 FROM nodes WHERE content_id = c.id) AND NOT EXISTS (SELECT 1 FROM content_gc WHERE content_id = c.id)"));
    }

    [Fact]
    public async Task Staging_A_Small_Body_Writes_Nothing_To_The_Database_Until_A_Write_Takes_It()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = database.Open();
        await using var connection = await database.ConnectAsync();
        var small = TestBytes.Random(PgBuffered.Limit, seed: 3);
        await using (var staged = await store.StageAsync(new MemoryStream(small), small.Length, CancellationToken.None))
        {
            Assert.Equal(small.Length, staged.Length);
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM contents"));
            var root = await store.GetFolderAsync(DavPath.Parse("small.bin").Parent.ToString());
            await root.CreateFileAsync("small.bin", FileContent.FromStaged(staged, null), CancellationToken.None);
        }

        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM contents"));
        BytesAssert.Equal(small, await store.ReadFileAsync("small.bin"));

        var large = TestBytes.Random(PgBuffered.Limit + 1, seed: 4);
        await using (var staged = await store.StageAsync(new MemoryStream(large), large.Length, CancellationToken.None))
        {
            Assert.Equal(2L, await ScalarAsync(connection, "SELECT count(*) FROM contents"));
        }
    }

    [Fact]
    public async Task A_Body_Longer_Than_Announced_Is_Staged_Whole()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = database.Open();
        var body = TestBytes.Random(PgBuffered.Limit + 10_000, seed: 5);
        await using var staged = await store.StageAsync(new MemoryStream(body), 100, CancellationToken.None);
        Assert.Equal(body.Length, staged.Length);
        await using var read = await staged.OpenReadAsync(CancellationToken.None);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        BytesAssert.Equal(body, copy.ToArray());
    }

    private static async Task<object> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())!;
    }
}
