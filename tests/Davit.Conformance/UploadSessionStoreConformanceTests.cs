using Davit.Storage;
using Davit.Uploads;

namespace Davit.Conformance;

/// <summary>
/// The behaviour every <see cref="IUploadSessionStore"/> must show, written against the public contract only. A
/// session store's test project subclasses this once, returning a fresh empty store from
/// <see cref="CreateSessionStoreAsync"/>, and must pass every test unchanged. The tests are split by concern over
/// the partial files of this class.
/// </summary>
/// <remarks>
/// Time is passed to the store, never read from a clock, so every test runs at the fixed instant <see cref="Now"/>
/// and moves on by passing a later one. A store that keeps sessions across restarts overrides
/// <see cref="ReopenSessionStoreAsync"/>; the restart tests then check that nothing saved is lost when the process
/// dies (the model of kill -9: everything handed to the operating system survives, nothing in the process does).
/// </remarks>
public abstract partial class UploadSessionStoreConformanceTests : IAsyncLifetime
{
    /// <summary>The instant the tests take as the present.</summary>
    protected static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>How long after <see cref="Now"/> a session made by <see cref="CreateAsync"/> expires unless told
    /// otherwise.</summary>
    protected static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private IUploadSessionStore? sessions;

    /// <summary>The session store under test: fresh and empty for each test, and a new instance after
    /// <see cref="RestartAsync"/>.</summary>
    protected IUploadSessionStore Sessions => sessions ?? throw new InvalidOperationException("The session store is created in InitializeAsync.");

    /// <summary>Creates a new, empty session store. Called once per test.</summary>
    protected abstract ValueTask<IUploadSessionStore> CreateSessionStoreAsync();

    /// <summary>
    /// Simulates a restart of the process: releases <paramref name="store"/> as a crash would (nothing is flushed
    /// that was not flushed already) and returns a new instance over the same storage. The default returns the same
    /// store, for stores that keep sessions in memory only.
    /// </summary>
    protected virtual ValueTask<IUploadSessionStore> ReopenSessionStoreAsync(IUploadSessionStore store) => ValueTask.FromResult(store);

    /// <summary>Releases a store made by <see cref="CreateSessionStoreAsync"/> or
    /// <see cref="ReopenSessionStoreAsync"/>, and its storage; disposes it when it is disposable.</summary>
    protected virtual ValueTask DisposeSessionStoreAsync(IUploadSessionStore store) => Disposal.DisposeIfDisposableAsync(store);

    /// <inheritdoc />
    public async Task InitializeAsync() => sessions = await CreateSessionStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (sessions is not null)
        {
            await DisposeSessionStoreAsync(sessions);
            sessions = null;
        }
    }

    /// <summary>Restarts the store (see <see cref="ReopenSessionStoreAsync"/>).</summary>
    protected async Task RestartAsync() => sessions = await ReopenSessionStoreAsync(Sessions);

    /// <summary>Starts a session for <paramref name="path"/> ('/'-separated) at <paramref name="now"/>
    /// (<see cref="Now"/> by default), expiring <see cref="Lifetime"/> later unless told otherwise.</summary>
    protected async Task<UploadSession> CreateAsync(string path, long? totalLength = null, string? contentType = null, DateTimeOffset? now = null, DateTimeOffset? expiresUtc = null) =>
        await CreateAsync(DavPath.Parse(path), totalLength, contentType, now, expiresUtc);

    /// <summary>Starts a session for <paramref name="path"/>.</summary>
    protected async Task<UploadSession> CreateAsync(DavPath path, long? totalLength = null, string? contentType = null, DateTimeOffset? now = null, DateTimeOffset? expiresUtc = null)
    {
        var at = now ?? Now;
        return await Sessions.CreateAsync(path, totalLength, contentType, at, expiresUtc ?? at + Lifetime, CancellationToken.None);
    }

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="offset"/> from a non-seekable body that arrives
    /// in pieces of at most <paramref name="maxPerRead"/> bytes.</summary>
    protected async Task<UploadSession> WriteAsync(
        UploadSession session,
        long offset,
        byte[] bytes,
        long? totalLength = null,
        DateTimeOffset? now = null,
        DateTimeOffset? expiresUtc = null,
        int maxPerRead = 16 * 1024)
    {
        await using var body = new TrickleStream(bytes, maxPerRead);
        return await WriteAsync(session, offset, body, totalLength, now, expiresUtc);
    }

    /// <summary>Writes the bytes of <paramref name="body"/> at <paramref name="offset"/>.</summary>
    protected async Task<UploadSession> WriteAsync(
        UploadSession session,
        long offset,
        Stream body,
        long? totalLength = null,
        DateTimeOffset? now = null,
        DateTimeOffset? expiresUtc = null,
        CancellationToken cancellationToken = default)
    {
        // A clock standing at the write's instant: every save it makes is stamped with it.
        var at = now ?? Now;
        return await Sessions.WriteAsync(session, offset, body, totalLength, new ManualTimeProvider(at), (expiresUtc ?? at + Lifetime) - at, cancellationToken);
    }

    /// <summary>The session <see cref="IUploadSessionStore.GetAsync"/> returns for <paramref name="path"/>.</summary>
    protected async Task<UploadSession?> GetAsync(string path, DateTimeOffset? now = null) =>
        await Sessions.GetAsync(DavPath.Parse(path), now ?? Now, CancellationToken.None);

    /// <summary>The sessions <see cref="IUploadSessionStore.ListAsync"/> returns for <paramref name="path"/>.</summary>
    protected async Task<IReadOnlyList<UploadSession>> ListAsync(string path, DateTimeOffset? now = null) =>
        await Sessions.ListAsync(DavPath.Parse(path), now ?? Now, CancellationToken.None);

    /// <summary>Reads the saved bytes of <paramref name="session"/> to the end, checking the stream's length when it
    /// has one.</summary>
    protected async Task<byte[]> ReadAllAsync(UploadSession session)
    {
        await using var stream = await Sessions.OpenReadAsync(session, CancellationToken.None);
        if (stream.CanSeek)
        {
            Assert.Equal(session.BytesSaved, stream.Length);
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Asserts that the store holds <paramref name="session"/> as it is, with exactly
    /// <paramref name="expected"/> as its saved bytes.</summary>
    protected async Task AssertSavedAsync(UploadSession session, byte[] expected)
    {
        Assert.Equal(expected.Length, session.BytesSaved);
        Assert.Equal(session, await Sessions.GetAsync(session.Path, Now, CancellationToken.None));
        BytesAssert.Equal(expected, await ReadAllAsync(session));
    }

    /// <summary>Asserts that <paramref name="actual"/> holds exactly the sessions with the ids of
    /// <paramref name="expected"/>, each once, in any order, field for field.</summary>
    protected static void AssertSessions(IEnumerable<UploadSession> expected, IEnumerable<UploadSession> actual)
    {
        Assert.Equal(
            expected.OrderBy(s => s.Id, StringComparer.Ordinal),
            actual.OrderBy(s => s.Id, StringComparer.Ordinal));
    }

    /// <summary>The concatenation of <paramref name="parts"/>.</summary>
    protected static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}
