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

    /// <summary>The content cache folder the stores of <see cref="Open"/> share (as nodes on one machine may), made
    /// for this database and deleted with it.</summary>
    public string CacheFolder { get; } = Path.Combine(Path.GetTempPath(), "davit-cache-tests", Guid.NewGuid().ToString("N"));

    public PostgreSqlStoreOptions Options(Action<PostgreSqlStoreOptions>? configure = null)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = ConnectionString, MaxPoolSize = 30 };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// A store object over this database (another node, when there is one already); disposed with it. With
    /// <paramref name="cache"/>, it keeps copies of every version it reads whole in <see cref="CacheFolder"/> (64 MiB;
    /// no minimum length, so that the conformance suites run through the cache), as a server does by default.
    /// </summary>
    public PostgreSqlStore Open(TimeProvider? time = null, bool cache = true)
    {
        var store = new PostgreSqlStore(Options(o => o.ContentCache = cache ? new ContentCacheOptions { Directory = CacheFolder, MaxBytes = 64L << 20, MinimumLength = 1 } : null), time);
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
        try
        {
            Directory.Delete(CacheFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
