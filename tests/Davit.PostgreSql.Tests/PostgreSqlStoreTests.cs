using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Davit.Conformance;
using Davit.Conformance.Http;
using Davit.Server.Tests;
using Davit.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Davit.PostgreSql.Tests;

/// <summary>What only the database store shows: its schema's life, an unreachable database, the names it cannot keep,
/// reads that touch only the chunks they need, and whole trees moved without a walk.</summary>
public sealed class PostgreSqlStoreTests
{
    [Fact]
    public async Task The_Schema_Is_Created_On_First_Start_Once_However_Many_Nodes_Start_Together()
    {
        var cluster = await PostgresCluster.GetAsync();
        var name = await cluster.CreateEmptyDatabaseAsync();
        var options = new PostgreSqlStoreOptions { ConnectionString = cluster.ConnectionStringFor(name) };
        try
        {
            var stores = Enumerable.Range(0, 4).Select(_ => new PostgreSqlStore(options)).ToArray();
            await Task.WhenAll(stores.Select(s => s.InitializeAsync()));
            await Task.WhenAll(stores.Select(s => s.DisposeAsync().AsTask()));

            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync();
            Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM davit_schema"));
            Assert.Equal(Schema.Version, (int)await Scalar(connection, "SELECT max(version) FROM davit_schema"));
            Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM nodes"));
        }
        finally
        {
            await cluster.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task A_Database_With_A_Newer_Schema_Is_Refused_And_The_Server_Does_Not_Start()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using (var connection = await database.ConnectAsync())
        {
            await Scalar(connection, $"UPDATE davit_schema SET version = {Schema.Version + 1} RETURNING 0");
        }

        await using var store = new PostgreSqlStore(database.Options());
        var refused = await Assert.ThrowsAsync<SchemaException>(() => store.InitializeAsync());
        Assert.Contains($"schema version {Schema.Version + 1}, newer than this server knows ({Schema.Version})", refused.Message, StringComparison.Ordinal);

        var (exitCode, output) = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(60), "--store", "postgres", "--connection-string", database.ConnectionString,
            "--content-cache", "off", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, exitCode);
        Assert.Contains("newer than this server knows", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Unreachable_Database_Is_503_With_Retry_After_Logged_Once_And_The_Server_Recovers_By_Itself()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var socketFolder = new NpgsqlConnectionStringBuilder(database.ConnectionString).Host!;
        await using var relay = new TcpRelay(Path.Combine(socketFolder, ".s.PGSQL.5432"));
        var logs = new CapturingLoggerFactory();
        var options = database.Options(o =>
        {
            o.ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = relay.Port, Timeout = 3 }.ConnectionString;
            o.CommandTimeout = TimeSpan.FromSeconds(5);
        });
        await using var store = new PostgreSqlStore(options, loggerFactory: logs);
        await using var server = await DavTestServer.StartAsync(store);
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("kept.txt", new StringContent("kept"))).StatusCode);

        relay.Cut();
        for (var i = 0; i < 3; i++)
        {
            var get = await server.Client.GetAsync("kept.txt");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
            Assert.NotNull(get.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.PutAsync("new.txt", new StringContent("x"))).StatusCode);
        }

        Assert.Single(logs.Lines, l => l.Contains("cannot be reached", StringComparison.Ordinal));

        relay.Restore();
        HttpResponseMessage? back = null;
        for (var i = 0; i < 50 && back?.StatusCode != HttpStatusCode.OK; i++)
        {
            back = await server.Client.GetAsync("kept.txt");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, back!.StatusCode);
        Assert.Equal("kept", await back.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PutAsync("new.txt", new StringContent("after"))).StatusCode);
        Assert.Single(logs.Lines, l => l.Contains("reachable again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_PostgreSQL_Cannot_Hold_Are_Refused_And_Never_Mangled()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = database.Open();
        var root = await store.GetFolderAsync("");
        foreach (var name in new[] { "lone \uD800 surrogate", "trailing \uDC00", new string('x', Names.MaxNameBytes + 1), new string('\u00E9', Names.MaxNameBytes / 2 + 1) })
        {
            var error = await Assert.ThrowsAsync<StoreException>(async () => await root.CreateFolderAsync(name, CancellationToken.None));
            Assert.Equal(StoreError.NameNotSupported, error.Error);
            error = await Assert.ThrowsAsync<StoreException>(async () => await root.CreateFileAsync(name, FileContent.Empty, CancellationToken.None));
            Assert.Equal(StoreError.NameNotSupported, error.Error);
            // A lone surrogate is no path segment at all (no UTF-8 form): the engine refuses it before a store sees it.
            Assert.Equal(!name.Any(char.IsSurrogate), DavPath.IsValidSegment(name));
            if (DavPath.IsValidSegment(name))
            {
                Assert.Null(await store.GetHierarchyItemAsync(DavPath.Root.Append(name), DavTestContext.Create(), CancellationToken.None));
            }
        }

        var longest = new string('y', Names.MaxNameBytes);
        await root.CreateFolderAsync(longest, CancellationToken.None);
        Assert.Equal([longest], await root.ListNamesAsync());
    }

    [Fact]
    public async Task A_Range_Read_Touches_Only_The_Chunks_It_Needs()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = database.Open(cache: false);
        var body = TestBytes.Random(4 * Contents.ChunkSize + 1000, seed: 9);
        var file = await store.CreateFileAsync("big.bin", body);

        // Every chunk but the third goes: a read inside the third still works, so it read nothing else.
        await using (var connection = await database.ConnectAsync())
        {
            await Scalar(connection, "WITH gone AS (DELETE FROM chunks WHERE idx <> 2 RETURNING 1) SELECT count(*) FROM gone");
        }

        var offset = 2L * Contents.ChunkSize + 12_345;
        var read = await file.ReadRangeAsync(offset, 65_536);
        BytesAssert.Equal(body.AsSpan((int)offset, 65_536), read);
        await Assert.ThrowsAsync<IOException>(async () => await file.ReadRangeAsync(offset - 100_000, 200_000));
    }

    [Fact]
    public async Task Moving_A_Folder_With_Many_Descendants_Changes_One_Row()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = database.Open();
        await store.CreateFolderAsync("big");
        await store.CreateFolderAsync("big/sub");
        await store.CreateFileAsync("big/sub/deep.txt", Encoding.UTF8.GetBytes("deep"));
        await using var connection = await database.ConnectAsync();

        // 20,000 more members, set-based, straight into the tables.
        await Scalar(connection, """
            WITH parent AS (SELECT id FROM nodes WHERE name = 'sub'),
                 made AS (INSERT INTO nodes (parent_id, name, is_folder, created, modified)
                          SELECT parent.id, 'm' || g, true, 0, 0 FROM parent, generate_series(1, 20000) g RETURNING 1)
            SELECT count(*) FROM made
            """);
        const string Versions = "SELECT string_agg(xmin::text, ',' ORDER BY id) FROM nodes WHERE name <> 'big' AND parent_id IS NOT NULL";
        var before = (string)await Scalar(connection, Versions);

        await using var server = await DavTestServer.StartAsync(store);
        var move = await server.Client.SendAsync(Dav.Request("MOVE", "big/", null, ("Destination", server.Url("renamed/").AbsoluteUri)));
        Assert.Equal(HttpStatusCode.Created, move.StatusCode);

        Assert.Equal("deep", await server.Client.GetStringAsync("renamed/sub/deep.txt"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("big/sub/deep.txt")).StatusCode);
        var after = (string)await Scalar(connection, Versions.Replace("name <> 'big'", "name <> 'renamed'", StringComparison.Ordinal));

        // No row below the moved folder was written (each keeps the transaction id that wrote it) except its parent's
        // time: the move was one updated row, not a walk.
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Content_Nobody_Uses_Is_Swept_And_Content_In_Use_Is_Kept()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var later = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var store = database.Open(later);
        var file = await store.CreateFileAsync("a.bin", TestBytes.Random(3 * Contents.ChunkSize));
        await file.WriteBytesAsync(TestBytes.Random(1000));
        await store.CreateFolderAsync("d");
        await store.CreateFileAsync("d/b.bin", TestBytes.Random(2 * Contents.ChunkSize));
        await StoreTrees.DeleteAsync(await store.GetFolderAsync("d"), new TreeErrors(), CancellationToken.None);
        var staged = await store.StageAsync(new MemoryStream(TestBytes.Random(5000)), null, CancellationToken.None);

        // Released versions wait out the readers' grace; unused staged bytes wait longer.
        Assert.Equal(0, await store.SweepContentAsync());
        later.Advance(Contents.ReleaseGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(2, await store.SweepContentAsync());
        later.Advance(Contents.StagingGrace);
        Assert.Equal(1, await store.SweepContentAsync());
        await staged.DisposeAsync();

        await using var connection = await database.ConnectAsync();
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM contents"));
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM chunks"));
        Assert.Equal(1000, (await store.ReadFileAsync("a.bin")).Length);
    }

    private static async Task<object> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())!;
    }

    private sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}

/// <summary>PROPFIND Depth 1 with dead properties costs the same number of statements for 1,000 members as for 10.</summary>
public sealed class PropfindStatementTests
{
    [Fact]
    public async Task Propfind_Depth_1_With_Dead_Properties_Takes_As_Many_Statements_For_1000_Members_As_For_10()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using (var connection = await database.ConnectAsync())
        await using (var fill = new NpgsqlCommand("""
            WITH small AS (INSERT INTO nodes (parent_id, name, is_folder, created, modified) SELECT 1, 'small', true, 0, 0 RETURNING id),
                 large AS (INSERT INTO nodes (parent_id, name, is_folder, created, modified) SELECT 1, 'large', true, 0, 0 RETURNING id),
                 members AS (
                    INSERT INTO nodes (parent_id, name, is_folder, created, modified)
                    SELECT small.id, 'm' || g, true, 0, 0 FROM small, generate_series(1, 10) g
                    UNION ALL SELECT large.id, 'm' || g, true, 0, 0 FROM large, generate_series(1, 1000) g
                    RETURNING id)
            INSERT INTO properties (node_id, name, value) SELECT id, '{urn:z}p', '<p xmlns="urn:z">v</p>' FROM members
            """, connection))
        {
            await fill.ExecuteNonQueryAsync();
        }

        var small = await CountStatementsAsync(database, "small/", 10);
        var large = await CountStatementsAsync(database, "large/", 1000);
        Assert.Equal(small, large);
        Assert.InRange(large, 1, 20);
    }

    // Transactions committed in the database while a store starts and one server answers one PROPFIND (each statement
    // outside a unit of work is one): counted once the store's connections are closed, when PostgreSQL has flushed
    // their statistics, from another database so that counting adds nothing.
    private static async Task<long> CountStatementsAsync(PostgresDatabase database, string folder, int members)
    {
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        var before = await CommitsAsync(database, name);
        await using (var store = new PostgreSqlStore(database.Options()))
        {
            await using var server = await DavTestServer.StartAsync(store);
            var body = Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>");
            var listing = await Dav.MultistatusAsync(await server.Client.PropfindAsync(folder, "1", body));
            Assert.Equal(members + 1, Dav.Hrefs(listing).Count);
            Assert.Equal(members, listing.Descendants(System.Xml.Linq.XName.Get("p", "urn:z")).Count());
        }

        return await CommitsAsync(database, name) - before;
    }

    private static async Task<long> CommitsAsync(PostgresDatabase database, string name)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Cluster.AdminConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        for (var i = 0; i < 50; i++)
        {
            // Statistics of backends that ended are flushed as they exit; wait until no other backend is connected.
            await using var busy = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection);
            busy.Parameters.Add(new NpgsqlParameter { Value = name });
            if ((long)(await busy.ExecuteScalarAsync())! == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
