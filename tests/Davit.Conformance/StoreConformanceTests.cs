using Davit.Storage;

namespace Davit.Conformance;

/// <summary>
/// The behaviour every Davit store must show, written against the public storage contracts only. A store's test
/// project subclasses this once, returning a fresh empty store from <see cref="CreateStoreAsync"/>, and must pass
/// every test unchanged. The tests are split by concern over the partial files of this class.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private IDavStore? store;

    /// <summary>The store under test: fresh and empty for each test.</summary>
    protected IDavStore Store => store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates a new, empty store. Called once per test.</summary>
    protected abstract ValueTask<IDavStore> CreateStoreAsync();

    /// <summary>Releases a store made by <see cref="CreateStoreAsync"/>; disposes it when it is disposable.</summary>
    protected virtual ValueTask DisposeStoreAsync(IDavStore store) => Disposal.DisposeIfDisposableAsync(store);

    /// <inheritdoc />
    public async Task InitializeAsync() => store = await CreateStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DisposeStoreAsync(store);
            store = null;
        }
    }

    /// <summary>Asserts that <paramref name="action"/> throws a <see cref="StoreException"/> reporting
    /// <paramref name="error"/>.</summary>
    protected static async Task<StoreException> AssertErrorAsync(StoreError error, Func<Task> action)
    {
        var exception = await Assert.ThrowsAnyAsync<StoreException>(action);
        Assert.Equal(error, exception.Error);
        return exception;
    }

    /// <summary>Asserts that the file at <paramref name="path"/> holds exactly <paramref name="expected"/>, with a
    /// matching length.</summary>
    protected async Task AssertContentAsync(string path, byte[] expected)
    {
        var file = await Store.GetFileAsync(path);
        Assert.Equal(expected.Length, file.ContentLength);
        BytesAssert.Equal(expected, await file.ReadAllBytesAsync());
    }
}
