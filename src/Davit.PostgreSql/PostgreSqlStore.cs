using System.Buffers;
using System.Globalization;
using Davit.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// A store that keeps everything in one PostgreSQL database: the tree, file content (in chunks), dead properties,
/// write locks and uploads in progress with their bytes. Several servers over the same database serve the same store:
/// nothing one of them can change is kept anywhere else.
/// </summary>
/// <remarks>
/// <para>Writes: a write unit of work is one transaction holding the database's write lock (an advisory lock) from
/// begin to end, so the writes and lock changes of every server run one after another, each as if alone. Request
/// bodies are staged before it begins (or written into an upload session), so the transaction only points a file at
/// bytes already stored. A failed commit changes nothing.</para>
/// <para>Content: a file points at an immutable version of its bytes, stored in chunks of
/// <see cref="Contents.ChunkSize"/>. A write points the file at a new version and takes a new generation from a
/// sequence (the entity tag); a reader reads the version it opened, whatever is written meanwhile; a range read
/// fetches only the bytes of the range. Versions nothing uses are deleted by a sweep.</para>
/// <para>Schema: created and migrated on first use (<see cref="InitializeAsync"/>); a database whose schema is newer
/// than this code is refused (<see cref="SchemaException"/>). An unreachable database is
/// <see cref="StoreError.Unavailable"/> (503) and the store recovers when it is back.</para>
/// </remarks>
public sealed partial class PostgreSqlStore : IDavStore, IContentStaging, IStateScope, IAsyncDisposable
{
    private readonly SemaphoreSlim initializing = new(1, 1);
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private volatile Meta? meta;
    private int disposed;

    /// <summary>Creates a store over the database of <paramref name="options"/>; nothing is opened until it is
    /// used or <see cref="InitializeAsync"/> is called.</summary>
    /// <param name="options">The connection string and pool settings.</param>
    /// <param name="timeProvider">The clock that stamps creation and modification times; the system clock when null.</param>
    /// <param name="loggerFactory">Where the store logs; nowhere when null.</param>
    public PostgreSqlStore(PostgreSqlStoreOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        time = timeProvider ?? TimeProvider.System;
        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(Log.Category);
        Database = new Database(options, logger);
        Auto = new AutoScope(this);
        Intake = new ContentIntake(this);
        Locks = new LockRows();
        Uploads = new UploadRows(this);
        Cache = ContentCache.Create(options, logger);
    }

    /// <inheritdoc />
    public StateScope Scope => StateScope.Shared;

    internal Database Database { get; }

    internal AutoScope Auto { get; }

    internal ContentIntake Intake { get; }

    internal LockRows Locks { get; }

    internal UploadRows Uploads { get; }

    /// <summary>The node's copies of content versions, or null when it keeps none.</summary>
    internal ContentCache? Cache { get; }

    internal ILogger Logger => logger;

    /// <summary>Serializes this process's write units of work before they take a connection (see
    /// <see cref="PgUnitOfWork.BeginAsync"/>).</summary>
    internal SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>The database's identity: items, staged bytes and sessions of any store object over the same database
    /// carry the same one.</summary>
    internal string StoreId => meta?.StoreId ?? throw new InvalidOperationException("The store is not initialized.");

    /// <summary>Opens a store and brings its database's schema up to date.</summary>
    /// <exception cref="SchemaException">The database's schema is newer than this code, or it is not UTF8.</exception>
    /// <exception cref="StoreException"><see cref="StoreError.Unavailable"/> when the database cannot be reached.</exception>
    public static async Task<PostgreSqlStore> OpenAsync(PostgreSqlStoreOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var store = new PostgreSqlStore(options, timeProvider, loggerFactory);
        try
        {
            await store.InitializeAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates or migrates the schema (once per database, under an advisory lock, whichever server comes first) and
    /// reads the store's identity. Called by the first request when nobody called it before; a host calls it at
    /// start, so that a database it must not use stops it there.
    /// </summary>
    /// <exception cref="SchemaException">The database's schema is newer than this code, or it is not UTF8.</exception>
    /// <exception cref="StoreException"><see cref="StoreError.Unavailable"/>.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (meta is not null)
        {
            return;
        }

        await initializing.WaitAsync(cancellationToken);
        try
        {
            if (meta is not null)
            {
                return;
            }

            meta = await Database.GuardAsync(async () =>
            {
                await using var connection = await Database.OpenSessionAsync(cancellationToken);
                await Schema.MigrateAsync(connection, logger, cancellationToken);
                var values = await Sql.Command(connection, null, "SELECT key, value FROM davit_meta")
                    .ListAsync(r => (Key: r.GetString(0), Value: r.GetString(1)), cancellationToken);
                var all = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
                return new Meta(all["store_id"], all["etag_prefix"]);
            });
            Log.Ready(logger, Database.Name, Database.Host, Schema.Version);
        }
        finally
        {
            initializing.Release();
        }
    }

    internal ValueTask EnsureReadyAsync(CancellationToken cancellationToken) =>
        meta is not null ? ValueTask.CompletedTask : new ValueTask(InitializeAsync(cancellationToken));

    /// <inheritdoc />
    public async ValueTask<IUnitOfWork> BeginAsync(StoreContext context, UnitOfWorkMode mode, CancellationToken cancellationToken) =>
        mode == UnitOfWorkMode.Write ? await PgUnitOfWork.BeginAsync(this, cancellationToken) : NoUnitOfWork.Instance;

    /// <inheritdoc />
    public async ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, StoreContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Names.IsStorable(path))
        {
            return null;
        }

        var unit = UnitOf(context);
        ISqlScope scope = unit is not null ? unit : Auto;
        var segments = path.Segments.ToArray();
        // Outside a unit of work (GET, PROPFIND, and the look-ups before a write) the node comes with its dead
        // properties: a PROPFIND then needs no statement of its own for them. Inside one they are read when asked,
        // so that they are what the unit's transaction sees at that moment.
        var found = await scope.ReadAsync(
            (connection, transaction) => Tree.ResolveAsync(connection, transaction, segments, withProperties: unit is null, cancellationToken), cancellationToken);
        return found is null ? null : CreateItem(unit, found.Row, path, found.Properties);
    }

    /// <inheritdoc />
    public async ValueTask<IStagedContent> StageAsync(Stream data, long? expectedLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        return await StageCoreAsync(data, expectedLength, cancellationToken);
    }

    /// <summary>
    /// Stages <paramref name="data"/>: a body announced at most <see cref="PgBuffered.Limit"/> long that is no longer
    /// than that is kept in memory, to be inserted by the write's own transaction (one commit per small PUT, not two);
    /// anything else is written to the database now (<see cref="StageCoreAsync(Stream, CancellationToken)"/>).
    /// </summary>
    /// <remarks>
    /// Bytes in memory are as durable as staged rows are (see below): nobody can see them until the write that takes
    /// them commits, and that commit waits for the disk. The body is read to its end before the write begins, so a slow
    /// client still never holds the write lock.
    /// </remarks>
    internal async ValueTask<IStagedContent> StageCoreAsync(Stream data, long? expectedLength, CancellationToken cancellationToken)
    {
        if (expectedLength is not { } announced || announced > PgBuffered.Limit)
        {
            return await StageCoreAsync(data, cancellationToken);
        }

        // The store id marks the bytes as this database's; reading it needs the schema checked.
        await EnsureReadyAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(PgBuffered.Limit + 1);
        try
        {
            var filled = await data.ReadAtLeastAsync(buffer.AsMemory(0, PgBuffered.Limit + 1), PgBuffered.Limit + 1, throwOnEndOfStream: false, cancellationToken);
            if (filled <= PgBuffered.Limit)
            {
                return new PgBuffered(StoreId, buffer.AsSpan(0, filled).ToArray());
            }

            // Longer than announced: the bytes read so far, then the rest, go to the database like any large body.
            await using var whole = new PrefixedStream(buffer.AsMemory(0, filled), data);
            return await StageCoreAsync(whole, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads <paramref name="data"/> into a new content version nothing uses yet, committed when it returns. Written in
    /// transactions of up to 64 MiB, so that a large body does not hold one transaction open for long; a body that
    /// fails midway leaves nothing (what was committed is deleted, or swept).
    /// </summary>
    /// <remarks>
    /// The staging transactions do not wait for the disk (<c>synchronous_commit = off</c>): staged bytes matter only
    /// once a write points a file at them, and that write's commit, which does wait, flushes the log up to and
    /// including them (PostgreSQL's log is flushed in order). A crash before that loses only bytes nobody can see.
    /// This saves one flush per small PUT.
    /// </remarks>
    internal async ValueTask<PgStaged> StageCoreAsync(Stream data, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        const long commitEvery = 64L * 1024 * 1024;
        long? id = null;
        try
        {
            return await Database.GuardAsync(async () =>
            {
                await using var connection = await Database.OpenAsync(cancellationToken);
                var transaction = await BeginStagingAsync(connection, cancellationToken);
                try
                {
                    id = await Contents.CreateAsync(connection, transaction, Now(), cancellationToken);
                    long written = 0;
                    var length = await Contents.WriteChunksAsync(connection, async () =>
                    {
                        written += Contents.ChunkSize;
                        if (written >= commitEvery)
                        {
                            written = 0;
                            await transaction.CommitAsync(cancellationToken);
                            await transaction.DisposeAsync();
                            transaction = await BeginStagingAsync(connection, cancellationToken);
                        }

                        return transaction;
                    }, data, id.Value, cancellationToken);
                    await Contents.SetLengthAsync(connection, transaction, id.Value, length, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return new PgStaged(this, id.Value, length);
                }
                finally
                {
                    await transaction.DisposeAsync();
                }
            });
        }
        catch when (id is not null)
        {
            await DiscardAsync(id.Value);
            throw;
        }
    }

    private static async ValueTask<NpgsqlTransaction> BeginStagingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Sql.Command(connection, transaction, "SET LOCAL synchronous_commit = off").RunAsync(cancellationToken);
        return transaction;
    }

    private async ValueTask DiscardAsync(long id)
    {
        try
        {
            await using var connection = await Database.OpenAsync(CancellationToken.None);
            await Contents.DeleteIfUnusedAsync(connection, id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is StoreException or NpgsqlException or IOException)
        {
            // The sweep deletes it later: it was born in content_gc.
        }
    }

    /// <summary>
    /// Deletes the content versions nothing has used for long enough (see <see cref="Contents"/>); returns how many.
    /// Every server runs it (<see cref="PostgreSqlStoreOptions.ContentSweepInterval"/>); runs on several servers share
    /// the work.
    /// </summary>
    public async ValueTask<int> SweepContentAsync(CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken);
        var count = await Contents.SweepAsync(Database, time.GetUtcNow(), cancellationToken);
        if (count > 0)
        {
            Log.Swept(logger, count);
        }

        return count;
    }

    /// <summary>Releases the pool's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await Database.DisposeAsync();
        }
    }

    /// <summary>The clock's time, to the tick.</summary>
    internal DateTimeOffset Now() => time.GetUtcNow();

    internal string FormatETag(long generation) =>
        (meta?.ETagPrefix ?? "0") + "-" + generation.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The generation an entity tag of this database names, or null for any other tag.</summary>
    internal long? ParseETag(string etag)
    {
        var prefix = (meta?.ETagPrefix ?? "0") + "-";
        return etag.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(etag.AsSpan(prefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var generation)
            ? generation
            : null;
    }

    internal PgItem CreateItem(PgUnitOfWork? unit, NodeRow row, DavPath path, PreloadedProperties? preloaded) =>
        row.IsFolder
            ? new PgFolder(this, unit, row, path) { Preloaded = preloaded }
            : new PgFile(this, unit, row, path) { Preloaded = preloaded };

    /// <summary>The item when it belongs to this database (through any store object over it), else null.</summary>
    internal PgItem? Own(IHierarchyItem item) => item is PgItem own && own.Store.meta?.StoreId == StoreId ? own : null;

    private PgUnitOfWork? UnitOf(StoreContext context) =>
        context.UnitOfWork is PgUnitOfWork { IsActive: true } unit && unit.Store.meta?.StoreId == StoreId ? unit : null;

    private sealed record Meta(string StoreId, string ETagPrefix);
}
