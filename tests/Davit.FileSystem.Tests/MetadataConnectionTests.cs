using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem.Tests;

/// <summary>
/// The metadata database's own pool of connections (<see cref="MetadataDatabase.Rent"/>) and the prepared commands
/// each keeps (<see cref="MetadataConnection"/>): a connection that saw an error serves the next operation as a fresh
/// one would, or is closed; the commands kept per connection are bounded.
/// </summary>
public sealed class MetadataConnectionTests : IDisposable
{
    private readonly StoreTestBed bed = new();

    private MetadataDatabase Database => bed.Store.Database;

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task A_Write_That_Failed_Leaves_No_Row_And_Its_Connection_Serves_The_Next_Write()
    {
        var idle = Database.IdleConnections;
        Assert.True(idle > 0); // the start-up recovery's connection

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Database.WriteAsync<int>(async (connection, transaction) =>
        {
            await InsertAsync(connection, transaction, "failed");
            throw new InvalidOperationException("the request failed after its first statement");
        }, CancellationToken.None));

        // Rolled back and pooled again, not dropped.
        Assert.Equal(idle, Database.IdleConnections);

        await Database.WriteAsync(async (connection, transaction) => await InsertAsync(connection, transaction, "kept"), CancellationToken.None);
        Assert.Equal(idle, Database.IdleConnections);
        Assert.Equal(["kept"], await PathsAsync());
    }

    [Fact]
    public async Task A_Statement_That_Failed_Inside_A_Write_Does_Not_Spoil_The_Cached_Command()
    {
        const string Insert = "INSERT INTO properties (path, name, xml) VALUES ($p, 'n', 'x');";
        await Database.WriteAsync(async (connection, transaction) => await InsertAsync(connection, transaction, "twice"), CancellationToken.None);
        await Assert.ThrowsAsync<SqliteException>(async () => await Database.WriteAsync(async (connection, transaction) =>
        {
            var command = connection.Command(Insert, transaction);
            command.Parameters.AddWithValue("$p", "twice"); // the primary key is taken
            return await command.ExecuteNonQueryAsync();
        }, CancellationToken.None));

        await Database.WriteAsync(async (connection, transaction) =>
        {
            var command = connection.Command(Insert, transaction);
            command.Parameters.AddWithValue("$p", "once");
            return await command.ExecuteNonQueryAsync();
        }, CancellationToken.None);

        Assert.Equal(["once", "twice"], await PathsAsync());
    }

    [Fact]
    public async Task A_Connection_Returned_Inside_A_Transaction_Is_Closed_So_Its_Writes_Never_Show()
    {
        var idle = Database.IdleConnections;
        Assert.True(idle > 0); // the start-up recovery's connection

        // A reader that leaves a transaction open with a write in it (no caller does: this is what an error between
        // BEGIN and COMMIT would leave behind).
        await Database.ReadAsync((connection, _) =>
        {
            Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_exec(connection.Connection.Handle,
                "BEGIN IMMEDIATE; INSERT INTO properties (path, name, xml) VALUES ('left open', 'n', 'x');"));
            return ValueTask.FromResult(true);
        }, CancellationToken.None);
        Assert.Equal(idle - 1, Database.IdleConnections);

        // Had it been pooled, it would hold the write lock and this write would wait for the busy timeout and fail.
        await Database.WriteAsync(async (connection, transaction) => await InsertAsync(connection, transaction, "after"), CancellationToken.None);
        Assert.Equal(["after"], await PathsAsync());
    }

    [Fact]
    public async Task The_Commands_Kept_On_A_Connection_Are_Bounded_And_Evicted_Ones_Still_Run()
    {
        var extra = MetadataConnection.MaxCommands + 10;
        var counts = await Database.ReadAsync(async (connection, _) =>
        {
            var result = new List<long>();
            for (var i = 0; i < extra; i++)
            {
                // A distinct text each time, as SQL built per call would be.
                var command = connection.Command($"SELECT {i.ToString(CultureInfo.InvariantCulture)} + count(*) FROM properties;", null);
                result.Add((long)(await command.ExecuteScalarAsync())!);
            }

            Assert.Equal(MetadataConnection.MaxCommands, connection.CachedCommands);

            // The first text was evicted: asked for again, it is prepared again and gives the same answer.
            var first = connection.Command("SELECT 0 + count(*) FROM properties;", null);
            result.Add((long)(await first.ExecuteScalarAsync())!);
            Assert.Equal(MetadataConnection.MaxCommands, connection.CachedCommands);
            return result;
        }, CancellationToken.None);

        Assert.Equal([.. Enumerable.Range(0, extra).Select(i => (long)i), 0L], counts);
    }

    [Fact]
    public async Task A_Cached_Command_Run_Again_Binds_Its_New_Parameters()
    {
        await Database.WriteAsync(async (connection, transaction) =>
        {
            await InsertAsync(connection, transaction, "a");
            return await InsertAsync(connection, transaction, "b");
        }, CancellationToken.None);

        var found = await Database.ReadAsync(async (connection, _) =>
        {
            var names = new List<string?>();
            foreach (var path in new[] { "a", "b", "c" })
            {
                var command = connection.Command("SELECT path FROM properties WHERE path = $p;", null);
                command.Parameters.AddWithValue("$p", path);
                names.Add(await command.ExecuteScalarAsync() as string);
            }

            return names;
        }, CancellationToken.None);

        Assert.Equal(["a", "b", null], found);
    }

    private static async ValueTask<int> InsertAsync(MetadataConnection connection, SqliteTransaction transaction, string path)
    {
        var command = connection.Command("INSERT INTO properties (path, name, xml) VALUES ($p, 'n', 'x');", transaction);
        command.Parameters.AddWithValue("$p", path);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> PathsAsync() =>
        await Database.ReadAsync(async (connection, _) =>
        {
            var paths = new List<string>();
            await using var reader = await connection.Command("SELECT path FROM properties ORDER BY path;", null).ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                paths.Add(reader.GetString(0));
            }

            return paths;
        }, CancellationToken.None);
}
