using Npgsql;

namespace Davit.PostgreSql.Tests;

/// <summary>The store has Npgsql prepare the statements it runs often, unless the connection string says how many
/// (0 behind a pooler that cannot keep prepared statements): what PostgreSQL holds prepared on the store's connection.</summary>
public sealed class AutoPrepareTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData(";Max Auto Prepare=0", false)]
    [InlineData(";MaxAutoPrepare=0", false)]
    public async Task Statements_Are_Prepared_Unless_The_Connection_String_Sets_It(string suffix, bool prepared)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var store = new PostgreSqlStore(database.Options(o =>
        {
            o.ConnectionString += suffix;
            o.MaxPoolSize = 1;
        }));

        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            await using var repeated = new NpgsqlCommand("SELECT $1::integer + 1", connection) { Parameters = { new() { Value = i } } };
            Assert.Equal(i + 1, await repeated.ExecuteScalarAsync());
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);
        var held = (long)(await count.ExecuteScalarAsync())!;
        if (prepared)
        {
            Assert.True(held > 0, "nothing was prepared on the store's connection");
        }
        else
        {
            Assert.Equal(0L, held);
        }
    }
}
