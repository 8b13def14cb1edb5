using Davit.Locking;
using Davit.Uploads;

namespace Davit.Storage.Memory;

/// <summary>
/// A complete store that keeps files, folders, dead properties, locks and uploads in progress in memory, and forgets
/// them when the process ends. For tests, demos, and as the reference the conformance suites are written against.
/// </summary>
/// <remarks>
/// <para>Thread safe: one lock guards the tree and is never held while a request body is read or a response written;
/// a write unit of work holds the state's write gate from begin to end, so writes and lock changes are serializable.
/// A file's content is immutable per version, so readers never wait for writers.</para>
/// <para>Names are exact (ordinal, never Unicode-normalised). Entity tags are strong and unique to every write in
/// the state's lifetime. Files and folders implement <see cref="IModificationTime"/>; setting a file's time keeps its
/// entity tag, which is never shared with any other content. Folders take whole trees in one step
/// (<see cref="IMoveTarget"/>, <see cref="ICopyTarget"/>, <see cref="ITreeDelete"/>), and staged bytes and finished
/// uploads become a file's content without being copied.</para>
/// <para>Several instances over one <see cref="InMemoryStoreState"/> share everything, as servers over one database
/// would. The unit of work does not roll back: a write that fails midway keeps what it did (the engine's own writes
/// to this store fail only before they change anything).</para>
/// </remarks>
public sealed partial class InMemoryStore : IDavStore, ILockStore, IContentStaging, IStateScope
{
    /// <summary>Creates a store over a new, empty state.</summary>
    /// <param name="timeProvider">The clock for creation and modification times; <see cref="TimeProvider.System"/>
    /// when null.</param>
    public InMemoryStore(TimeProvider? timeProvider = null)
        : this(new InMemoryStoreState(timeProvider))
    {
    }

    /// <summary>Creates a store over <paramref name="state"/>, which other instances may share.</summary>
    public InMemoryStore(InMemoryStoreState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
    }

    /// <summary>What this store keeps; share it to make another instance see the same tree.</summary>
    public InMemoryStoreState State { get; }

    /// <inheritdoc />
    public StateScope Scope => StateScope.Process;

    internal Lock Gate => State.Gate;

    internal TimeProvider Clock => State.Clock;

    /// <inheritdoc />
    public async ValueTask<IUnitOfWork> BeginAsync(StoreContext context, UnitOfWorkMode mode, CancellationToken cancellationToken)
    {
        if (mode == UnitOfWorkMode.Read)
        {
            return NoUnitOfWork.Instance;
        }

        await State.WriteGate.WaitAsync(cancellationToken);
        return new WriteUnit(State.WriteGate);
    }

    /// <inheritdoc />
    public ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, StoreContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Gate)
        {
            MemoryNode node = State.Root;
            foreach (var segment in path.Segments)
            {
                if (node is not MemoryFolderNode folder || !folder.Children.TryGetValue(segment, out var child))
                {
                    return ValueTask.FromResult<IHierarchyItem?>(null);
                }

                node = child;
            }

            return ValueTask.FromResult<IHierarchyItem?>(CreateItem(node, path));
        }
    }

    /// <inheritdoc />
    public async ValueTask<IStagedContent> StageAsync(Stream data, long? expectedLength, CancellationToken cancellationToken) =>
        new MemoryStaged(State, await MemoryBytes.ReadAsync(data, cancellationToken));

    /// <summary>The item a request sees for <paramref name="node"/>. Call under <see cref="Gate"/>.</summary>
    internal MemoryItem CreateItem(MemoryNode node, DavPath path) => node switch
    {
        MemoryFileNode file => new MemoryFile(this, file, path),
        MemoryFolderNode folder => new MemoryFolder(this, folder, path),
        _ => throw new InvalidOperationException("Unknown node kind."),
    };

    /// <summary>
    /// The bytes of <paramref name="content"/>: taken over without copying when they were staged by, or uploaded to,
    /// this state; otherwise read. Staged bytes and the session are consumed.
    /// </summary>
    internal async ValueTask<MemoryBytes> TakeAsync(FileContent content, CancellationToken cancellationToken)
    {
        if (content.Staged is MemoryStaged staged && staged.BelongsTo(State) && staged.TryTake() is { } bytes)
        {
            return bytes;
        }

        if (content.Session is { } session && content.Sessions is InMemoryStore owner && ReferenceEquals(owner.State, State)
            && State.Sessions.TryTake(session) is { } uploaded)
        {
            return uploaded;
        }

        await using var stream = await content.OpenReadAsync(cancellationToken);
        return await MemoryBytes.ReadAsync(stream, cancellationToken);
    }

    private sealed class WriteUnit(SemaphoreSlim gate) : IUnitOfWork
    {
        private int released;

        public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
