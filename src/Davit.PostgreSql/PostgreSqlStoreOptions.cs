namespace Davit.PostgreSql;

/// <summary>Where the PostgreSQL store keeps everything, and how it talks to the database.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>
    /// The Npgsql connection string of the database, e.g. <c>Host=db.example;Database=davit;Username=davit;Password=...</c>,
    /// or <c>Host=/var/run/postgresql;Database=davit</c> for a local Unix socket. Must not be empty. The database must
    /// exist and use the UTF8 encoding; the store creates its tables in it on first start.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The most connections this server opens to the database at once (Npgsql's pool), or null to keep the connection
    /// string's "Maximum Pool Size" (100 unless it says otherwise). Each GET or PROPFIND in flight holds one while it
    /// streams, each upload segment in flight one, each write one for a few milliseconds.
    /// </summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>
    /// How long one statement may wait for the database before it fails (the request then gets 503), or null to keep
    /// the connection string's "Command Timeout" (30 s unless it says otherwise).
    /// </summary>
    public TimeSpan? CommandTimeout { get; set; }

    /// <summary>How often this server looks for content no file or upload uses any more and deletes its bytes.
    /// Every server may do it; they share the work. Default 1 minute.</summary>
    public TimeSpan ContentSweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
