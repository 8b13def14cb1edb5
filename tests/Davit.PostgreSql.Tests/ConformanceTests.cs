using Davit.Conformance;
using Davit.Conformance.Http;
using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;

namespace Davit.PostgreSql.Tests;

/// <summary>The store suite, each test on a database of its own; a second instance is a second store object over the
/// same database, as a second server would be.</summary>
public sealed class PostgreSqlStoreConformanceTests : StoreConformanceTests
{
    private PostgresDatabase? database;

    protected override async ValueTask<IDavStore> CreateStoreAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        return database.Open();
    }

    protected override ValueTask<IDavStore> OpenSecondInstanceAsync(IDavStore first) => ValueTask.FromResult<IDavStore>(database!.Open());

    protected override async ValueTask DisposeStoreAsync(IDavStore store) => await database!.DisposeAsync();
}

/// <summary>The store keeps its own locks, so it passes the lock store suite too.</summary>
public sealed class PostgreSqlLockStoreConformanceTests : LockStoreConformanceTests
{
    private PostgresDatabase? database;

    protected override async ValueTask<ILockStore> CreateLockStoreAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        return database.Open();
    }

    protected override async ValueTask DisposeLockStoreAsync(ILockStore store) => await database!.DisposeAsync();
}

/// <summary>The upload-session suite: a restart is a new store object over the same database (nothing of the old one's
/// memory survives); a second instance another server.</summary>
public sealed class PostgreSqlUploadSessionConformanceTests : UploadSessionStoreConformanceTests
{
    private PostgresDatabase? database;

    protected override async ValueTask<IUploadSessionStore> CreateSessionStoreAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        return database.Open();
    }

    protected override async ValueTask<IUploadSessionStore> ReopenSessionStoreAsync(IUploadSessionStore store)
    {
        await ((PostgreSqlStore)store).DisposeAsync();
        return database!.Open();
    }

    protected override ValueTask<IUploadSessionStore> OpenSecondInstanceAsync(IUploadSessionStore first) => ValueTask.FromResult<IUploadSessionStore>(database!.Open());

    protected override async ValueTask DisposeSessionStoreAsync(IUploadSessionStore store) => await database!.DisposeAsync();
}

/// <summary>The HTTP suite against the store, mounted at the root.</summary>
public class PostgreSqlHttpTests : HttpConformanceTests
{
    private PostgresDatabase? database;

    protected PostgresDatabase Database => database!;

    protected override IDavStore CreateStore()
    {
        database = PostgresDatabase.CreateAsync().GetAwaiter().GetResult();
        return database.Open();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await database!.DisposeAsync();
    }
}

/// <summary>The same, mounted under a prefix.</summary>
public sealed class PostgreSqlHttpUnderPrefixTests : PostgreSqlHttpTests
{
    protected override string Prefix => "/dav";
}

/// <summary>Real clients' locking sequences.</summary>
public sealed class PostgreSqlLockClientSequenceTests : LockClientSequenceTests
{
    private PostgresDatabase? database;

    protected override IDavStore CreateStore()
    {
        database = PostgresDatabase.CreateAsync().GetAwaiter().GetResult();
        return database.Open();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await database!.DisposeAsync();
    }
}

/// <summary>Two servers, each with its own store object (its own connection pool) over one database.</summary>
public sealed class PostgreSqlTwoNodeTests : TwoNodeConformanceTests
{
    private PostgresDatabase? database;

    protected override async ValueTask<(IDavStore A, IDavStore B)> CreateStoresAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        return (database.Open(), database.Open());
    }

    protected override async ValueTask DisposeStoresAsync(IDavStore a, IDavStore b) => await database!.DisposeAsync();
}

/// <summary>A write whose commit fails is answered 507 and leaves the database as it was: the transaction is rolled
/// back.</summary>
public sealed class PostgreSqlCommitFailureTests : CommitFailureConformanceTests
{
    private PostgresDatabase? database;

    protected override IDavStore CreateStore()
    {
        database = PostgresDatabase.CreateAsync().GetAwaiter().GetResult();
        return database.Open();
    }

    protected override bool RollsBack => true;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await database!.DisposeAsync();
    }
}
