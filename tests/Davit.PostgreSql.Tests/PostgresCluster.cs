using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Davit.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL the tests use: a private cluster this process starts once (initdb into a temporary folder, as the
/// <c>postgres</c> user when the tests run as root; listening only on a Unix socket in that folder, no TCP at all),
/// stopped and deleted when the process exits, and by a watchdog should the process die first. When
/// <c>DAVIT_TEST_POSTGRES</c> holds the connection string of a cluster started for the tests (scripts/test.sh starts
/// one), that one is used instead. Tests create throwaway databases in it and drop them; they never touch a cluster
/// they were not given.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);
    private readonly NpgsqlDataSource admin;
    private readonly SemaphoreSlim creating = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentBag<string> recycled = [];
    private string? template;

    private PostgresCluster(string adminConnectionString)
    {
        AdminConnectionString = adminConnectionString;
        admin = NpgsqlDataSource.Create(adminConnectionString);
    }

    /// <summary>A connection string to the cluster's maintenance database, as its superuser.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The cluster, started on first use.</summary>
    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>The connection string of database <paramref name="name"/> of this cluster.</summary>
    public string ConnectionStringFor(string name) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;

    /// <summary>Creates an empty database (no schema) and returns its name.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = "davit_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0 STRATEGY FILE_COPY");
        return name;
    }

    /// <summary>
    /// A database holding the store's schema and nothing else, as after a first start, and returns its connection
    /// string: one a finished test gave back (emptied), or a copy of a template migrated once. Creating a database
    /// costs PostgreSQL most of a second; emptying one a few milliseconds.
    /// </summary>
    public async Task<string> CreateStoreDatabaseAsync()
    {
        if (recycled.TryTake(out var reused))
        {
            return ConnectionStringFor(reused);
        }

        var source = await TemplateAsync();
        var name = "davit_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {source} STRATEGY FILE_COPY");
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionStringFor(name)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(NewIdentity, connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>Gives back a database of <see cref="CreateStoreDatabaseAsync"/>: whatever is still connected to it is
    /// disconnected, and it is emptied for the next test.</summary>
    public async Task ReturnDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var kick = admin.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"))
        {
            kick.Parameters.Add(new NpgsqlParameter { Value = name });
            await kick.ExecuteNonQueryAsync();
        }

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionStringFor(name)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            TRUNCATE nodes, properties, contents, chunks, content_gc, locks, uploads RESTART IDENTITY CASCADE;
            ALTER SEQUENCE generations RESTART;
            DELETE FROM davit_schema;
            INSERT INTO davit_schema (version) VALUES ({Schema.Version});
            INSERT INTO nodes (parent_id, name, is_folder, created, modified) VALUES (NULL, '', true,
                (extract(epoch FROM clock_timestamp()) * 10000000)::bigint + 621355968000000000,
                (extract(epoch FROM clock_timestamp()) * 10000000)::bigint + 621355968000000000);
            {NewIdentity};
            """, connection);
        await command.ExecuteNonQueryAsync();
        recycled.Add(name);
    }

    /// <summary>Drops a database made here, with whatever is still connected to it.</summary>
    public async Task DropDatabaseAsync(string name) => await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

    // Each database its own identity and entity tags, as two databases made by two first starts would have.
    private const string NewIdentity =
        "UPDATE davit_meta SET value = CASE key WHEN 'store_id' THEN gen_random_uuid()::text ELSE substr(md5(gen_random_uuid()::text), 1, 8) END";

    public async Task ExecuteAsync(string sql)
    {
        await using var command = admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> TemplateAsync()
    {
        await creating.WaitAsync();
        try
        {
            if (template is null)
            {
                var name = await CreateEmptyDatabaseAsync();
                await using (var store = await PostgreSqlStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = ConnectionStringFor(name) }))
                {
                }

                NpgsqlConnection.ClearAllPools();
                template = name;
            }

            return template;
        }
        finally
        {
            creating.Release();
        }
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("DAVIT_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return new PostgresCluster(given);
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed, so the PostgreSQL store cannot be tested. Install Debian's postgresql package " +
            "(scripts/test.sh does), or set DAVIT_TEST_POSTGRES to the connection string of a cluster started for the tests.");
        var folder = Directory.CreateTempSubdirectory("davit-pg-").FullName;
        var data = Path.Combine(folder, "data");
        string[] runAs = [];
        if (Environment.UserName == "root")
        {
            // initdb and postgres refuse to run as root.
            await RunAsync("chown", ["postgres:postgres", folder]);
            runAs = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"];
        }

        await RunAsync(runAs, Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);

        // A throwaway cluster: no durability is tested here (a PostgreSQL crash is not), so nothing waits for the disk.
        const int port = 5432;
        var options = string.Join(' ', "-c listen_addresses=''", $"-k {folder}", $"-p {port}", "-c fsync=off", "-c synchronous_commit=off",
            "-c full_page_writes=off", "-c max_connections=300", "-c shared_buffers=128MB");
        await RunAsync(runAs, Path.Combine(bin, "pg_ctl"), ["start", "-D", data, "-w", "-t", "60", "-l", Path.Combine(folder, "server.log"), "-o", options]);
        StartWatchdog(runAs, Path.Combine(bin, "pg_ctl"), data, folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(runAs, Path.Combine(bin, "pg_ctl"), data, folder);
        return new PostgresCluster($"Host={folder};Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20");
    }

    // The newest PostgreSQL Debian installed (its binaries are not on PATH), or one on PATH.
    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("DAVIT_POSTGRES_BIN") is { Length: > 0 } given)
        {
            return given;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return Path.Combine(newest.Dir, "bin");
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    // Stops the cluster and deletes its folder once this process is gone, however it ended (a detached shell, so that
    // killing this process's tree does not take it along).
    private static void StartWatchdog(string[] runAs, string pgCtl, string data, string folder)
    {
        var stop = string.Join(' ', runAs.Select(Quote)) + " " + Quote(pgCtl) + " stop -D " + Quote(data) + " -m fast -w -t 30";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {Quote(folder)}";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-f", "/bin/sh", "-c", script])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit(5_000);
    }

    private static void Stop(string[] runAs, string pgCtl, string data, string folder)
    {
        try
        {
            RunAsync(runAs, pgCtl, ["stop", "-D", data, "-m", "fast", "-w", "-t", "30"]).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // The watchdog tries again.
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Task RunAsync(string file, string[] args) => RunAsync([], file, args);

    private static async Task RunAsync(string[] runAs, string file, string[] args)
    {
        var all = runAs.Concat([file]).Concat(args).ToArray();
        var start = new ProcessStartInfo(all[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in all[1..])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', all)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
