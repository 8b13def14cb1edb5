namespace Davit.Storage.Memory;

/// <summary>Bytes staged by an <see cref="InMemoryStore"/>: read ahead of the write, taken over by it.</summary>
internal sealed class MemoryStaged(InMemoryStoreState state, MemoryBytes bytes) : IStagedContent
{
    private MemoryBytes? bytes = bytes;

    public long Length { get; } = bytes.Length;

    public bool BelongsTo(InMemoryStoreState other) => ReferenceEquals(state, other);

    /// <summary>The bytes, once; null when a write took them already (or they were discarded).</summary>
    public MemoryBytes? TryTake() => Interlocked.Exchange(ref bytes, null);

    public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken)
    {
        var current = bytes ?? throw new StoreException(StoreError.NotFound, "The staged bytes were taken over already.");
        return ValueTask.FromResult(current.OpenRead());
    }

    public ValueTask DisposeAsync()
    {
        bytes = null;
        return ValueTask.CompletedTask;
    }
}
