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

    /// <summary>
    /// A copy of file contents on this server's disk, served instead of the database's rows; null (the default) or a
    /// blank <see cref="ContentCacheOptions.Directory"/> for none. A version's bytes never change, so a copy never goes
    /// stale: every request still asks the database which version a path is, then reads that version's copy.
    /// </summary>
    public ContentCacheOptions? ContentCache { get; set; }
}

/// <summary>Where and how much the PostgreSQL store copies file contents on the server's own disk (see
/// <see cref="PostgreSqlStoreOptions.ContentCache"/> and docs/postgresql-store.md).</summary>
public sealed class ContentCacheOptions
{
    /// <summary>The folder of the copies, created (readable by this user only) when missing; null or blank for no
    /// cache. A local disk, not shared with other machines; servers on one machine may share it.</summary>
    public string? Directory { get; set; }

    /// <summary>The most bytes the folder holds (copies being written come on top); a version larger than this is
    /// never copied. Default 1 GiB.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Versions shorter than this are not copied (read from the database as fast as from a copy, and many
    /// small copies would cost a file each). Default 1 MiB.</summary>
    public long MinimumLength { get; set; } = 1L << 20;
}
