using System.Net;
using Davit.Conformance;
using Davit.Conformance.Http;
using Davit.Server.Tests;
using Npgsql;

namespace Davit.PostgreSql.Tests;

/// <summary>
/// A write's commit does not wait for the disk while it holds the write lock; the write is answered only after its
/// commit record is flushed. A power cut cannot be made on demand, so the test reads the database's log instead: for
/// every acknowledged PUT, the position the log was flushed to when the answer arrived lies at or past the end of
/// that PUT's commit record (found afterwards with <c>pg_walinspect</c>, by the transaction id that wrote its row).
/// </summary>
public sealed class WriteFlushTests
{
    [Fact]
    public async Task Every_Acknowledged_Put_Has_Its_Commit_Flushed_Before_The_Answer()
    {
        await using var database = await PostgresDatabase.CreateAsync();

        // The test cluster runs with synchronous_commit off to be quick; this store's sessions turn it on, as a
        // production server has it.
        var options = database.Options(o => o.ConnectionString += ";Options=-c synchronous_commit=on");
        await using var store = new PostgreSqlStore(options);
        await using var server = await DavTestServer.StartAsync(store);
        await using var connection = await database.ConnectAsync();
        await RunAsync(connection, "CREATE EXTENSION IF NOT EXISTS pg_walinspect");
        var start = await ScalarAsync<string>(connection, "SELECT pg_current_wal_insert_lsn()::text");

        const int Count = 20;
        var flushedAtAnswer = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            var put = await server.Client.PutAsync($"f{i}.txt", new ByteArrayContent(TestBytes.Random(1_000, seed: i)));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            flushedAtAnswer[i] = await ScalarAsync<string>(connection, "SELECT pg_current_wal_flush_lsn()::text");
        }

        // Flush everything, then read each PUT's commit record back from the log.
        await RunAsync(connection, "SET synchronous_commit = on; SELECT pg_current_xact_id()");
        for (var i = 0; i < Count; i++)
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT r.end_lsn <= $3::pg_lsn
                FROM nodes n, pg_get_wal_records_info($1::pg_lsn, pg_current_wal_flush_lsn()) r
                WHERE n.name = $2 AND r.xid = n.xmin AND r.resource_manager = 'Transaction' AND r.record_type = 'COMMIT'
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = start });
            command.Parameters.Add(new NpgsqlParameter { Value = $"f{i}.txt" });
            command.Parameters.Add(new NpgsqlParameter { Value = flushedAtAnswer[i] });
            var found = new List<bool>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    found.Add(reader.GetBoolean(0));
                }
            }

            Assert.True(found.Count == 1, $"f{i}.txt: {found.Count} commit records found for the transaction that wrote it.");
            Assert.True(found[0], $"f{i}.txt was answered before its commit was flushed (flushed to {flushedAtAnswer[i]} at the answer).");
        }
    }

    private static async Task RunAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
