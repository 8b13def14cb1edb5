using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// The embedded SQLite database holding the store's metadata. Hands out one pooled connection per operation, so
/// parallel requests never share a connection; WAL lets readers run while one writer commits.
/// </summary>
internal sealed class MetadataDatabase : IDisposable
{
    private const int SchemaVersion = 1;

    // Writers queue inside SQLite for up to this long before a request fails with "database is locked".
    private const int BusyTimeoutMilliseconds = 10_000;

    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string connectionString;

    public MetadataDatabase(string path)
    {
        _ = NativeLibrary.Value;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        CreateSchema();
    }

    /// <summary>Opens a connection for one operation; dispose it to return it to the pool.</summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the pooled connections, releasing the database file.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void CreateSchema()
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The metadata database was written by a newer Davit (schema {version}; this one knows {SchemaVersion}).");
        }

        // WITHOUT ROWID: rows are found by (path, name) and subtrees by a range of path, both on the primary key.
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS properties (
                path TEXT NOT NULL,
                name TEXT NOT NULL,
                xml  TEXT NOT NULL,
                PRIMARY KEY (path, name)
            ) WITHOUT ROWID;
            PRAGMA user_version = {SchemaVersion};
            """;
        command.ExecuteNonQuery();
    }
}
