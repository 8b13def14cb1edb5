using System.Data.Common;
using Davit.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// The store's way to the database: Npgsql's pooled data source, the mapping of its failures to store outcomes, and
/// the one log line when the database goes away and the one when it comes back.
/// </summary>
internal sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource source;
    private readonly NpgsqlDataSource sessions;
    private readonly ILogger logger;
    private int down;

    public Database(PostgreSqlStoreOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (options.MaxPoolSize is { } pool)
        {
            builder.MaxPoolSize = pool;
        }

        if (options.CommandTimeout is { } timeout)
        {
            builder.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "Davit";
        }

        // Statements run often are prepared on each connection, so that PostgreSQL parses and plans them once: random
        // 64 KiB ranges (two short statements each) went from 362-850 to 806-1,531 a second (2026-11-30, load 9, taking
        // turns). A connection string that names the setting keeps its own value (0 behind a pooler that cannot keep
        // prepared statements, such as PgBouncer in transaction mode before 1.21).
        if (!Keywords(options.ConnectionString).Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        Host = builder.Host ?? "localhost";
        Name = builder.Database ?? builder.Username ?? "postgres";
        // A pooled connection is normally reset when it is given back (one statement of seven commands, sent with
        // the next use). Measured on a small GET or PROPFIND (log_min_duration_statement = 0, 2026-11-30), that reset
        // took 0.1-0.3 ms in the backend against 0.01-0.08 ms for the store's own statements, once per statement,
        // because every read outside a unit of work takes its own connection. The store's statements leave nothing
        // in the session to reset: settings are transaction-local (SET LOCAL, set_config(..., true)), the temporary
        // table of a COPY is dropped at commit, advisory locks are transaction-scoped. The two exceptions, the
        // session-level advisory locks of an upload writer and of a migration, take their connections from a second
        // pool that keeps the reset (OpenSessionAsync), so that a lock whose unlock failed is still released.
        var resetting = builder.ConnectionString;
        builder.NoResetOnClose = true;
        source = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        sessions = new NpgsqlDataSourceBuilder(resetting).Build();
        this.logger = logger;
    }

    public string Host { get; }

    /// <summary>The keywords a connection string sets, lower case without spaces.</summary>
    private static HashSet<string> Keywords(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();

    public string Name { get; }

    /// <summary>Opens a connection of the pool.</summary>
    /// <exception cref="StoreException"><see cref="StoreError.Unavailable"/>.</exception>
    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(source, cancellationToken);

    /// <summary>Opens a connection for work that leaves state in the session (a session-level advisory lock), from a
    /// pool that resets each connection when it is given back.</summary>
    /// <exception cref="StoreException"><see cref="StoreError.Unavailable"/>.</exception>
    public ValueTask<NpgsqlConnection> OpenSessionAsync(CancellationToken cancellationToken) => OpenAsync(sessions, cancellationToken);

    private async ValueTask<NpgsqlConnection> OpenAsync(NpgsqlDataSource from, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await from.OpenConnectionAsync(cancellationToken);
            Recovered();
            return connection;
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>
    /// The store outcome for <paramref name="exception"/> (see <see cref="SqlErrors"/>), or null to let it through.
    /// A lost connection empties the pool, so that the next request opens a fresh one instead of finding another
    /// dead connection: that is how a server recovers, with no restart, when the database comes back.
    /// </summary>
    public StoreException? Map(Exception exception)
    {
        if (exception is StoreException or OperationCanceledException)
        {
            return null;
        }

        var error = SqlErrors.Classify(exception);
        if (error is null)
        {
            return null;
        }

        if (error == StoreError.Unavailable)
        {
            if (SqlErrors.IsConnectionFailure(exception))
            {
                source.Clear();
                sessions.Clear();
            }

            if (Interlocked.Exchange(ref down, 1) == 0)
            {
                Log.Unreachable(logger, exception.Message);
            }
        }

        return new StoreException(error.Value, $"The database reported: {exception.Message}", exception);
    }

    /// <summary>Runs <paramref name="work"/> and maps what the database throws.</summary>
    public async ValueTask<T> GuardAsync<T>(Func<ValueTask<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    private void Recovered()
    {
        if (Volatile.Read(ref down) != 0 && Interlocked.Exchange(ref down, 0) != 0)
        {
            Log.Reachable(logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await source.DisposeAsync();
        await sessions.DisposeAsync();
    }
}
