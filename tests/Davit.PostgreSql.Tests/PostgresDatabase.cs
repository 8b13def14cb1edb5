namespace Davit.PostgreSql.Tests;

/// <summary>A throwaway database holding the store's schema, dropped when disposed; and stores over it.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly PostgresCluster cluster;
    private readonly List<PostgreSqlStore> opened = [];

    private PostgresDatabase(PostgresCluster cluster, string connectionString)
    {
        this.cluster = cluster;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public PostgresCluster Cluster => cluster;

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var cluster = await PostgresCluster.GetAsync();
        return new PostgresDatabase(cluster, await cluster.CreateStoreDatabaseAsync());
    }

    /// <summary>An open connection of its own (not pooled: a recycled database's old sessions are gone).</summary>
    public async Task<Npgsql.NpgsqlConnection> ConnectAsync()
    {
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public PostgreSqlStoreOptions Options(Action<PostgreSqlStoreOptions>? configure = null)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = ConnectionString, MaxPoolSize = 30 };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A store object over this database (another node, when there is one already); disposed with it.</summary>
    public PostgreSqlStore Open(TimeProvider? time = null)
    {
        var store = new PostgreSqlStore(Options(), time);
        lock (opened)
        {
            opened.Add(store);
        }

        return store;
    }

    public async ValueTask DisposeAsync()
    {
        List<PostgreSqlStore> stores;
        lock (opened)
        {
            stores = [.. opened];
        }

        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        await cluster.ReturnDatabaseAsync(ConnectionString);
    }
}
