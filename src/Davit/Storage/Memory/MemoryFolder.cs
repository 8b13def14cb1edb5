namespace Davit.Storage.Memory;

/// <summary>A folder of the in-memory store as one request sees it. It takes whole trees of the same state in one step.</summary>
internal sealed class MemoryFolder : MemoryItem, IFolder, IModificationTime, IMoveTarget, ICopyTarget, ITreeDelete
{
    public MemoryFolder(InMemoryStore store, MemoryFolderNode folder, DavPath path)
        : base(store, folder, path)
    {
        Folder = folder;
    }

    internal MemoryFolderNode Folder { get; }

    public override DateTimeOffset ModifiedUtc
    {
        get
        {
            lock (Store.Gate)
            {
                return Folder.ModifiedUtc;
            }
        }
    }

    public ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            Folder.ModifiedUtc = modifiedUtc.ToUniversalTime();
        }

        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(PropertySelection properties, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // A snapshot taken at once: members added or removed while the caller enumerates do not disturb it.
        List<IHierarchyItem> children;
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            children = [.. Folder.Children.Values.Select(child => Store.CreateItem(child, Path.Append(child.Name)))];
        }

        return children.ToAsyncEnumerable();
    }

    public async ValueTask<IFile> CreateFileAsync(string name, FileContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckName(name);
        lock (Store.Gate)
        {
            // Refuse early rather than read a body that would be thrown away; checked again below.
            EnsureCanCreate(name);
        }

        var bytes = await Store.TakeAsync(content, cancellationToken);
        lock (Store.Gate)
        {
            EnsureCanCreate(name);
            var now = Store.Clock.GetUtcNow();
            var file = new MemoryFileNode(name, now, new MemoryFileVersion(bytes, Store.State.NextETag(), content.ContentType, now));
            Folder.Attach(file, now);
            return new MemoryFile(Store, file, Path.Append(name));
        }
    }

    public ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckName(name);
        lock (Store.Gate)
        {
            EnsureCanCreate(name);
            var now = Store.Clock.GetUtcNow();
            var folder = new MemoryFolderNode(name, now);
            Folder.Attach(folder, now);
            return ValueTask.FromResult<IFolder>(new MemoryFolder(Store, folder, Path.Append(name)));
        }
    }

    public ValueTask<bool> MoveIntoAsync(string name, IHierarchyItem source, bool replace, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckName(name);
        if (Own(source) is not { } node)
        {
            return ValueTask.FromResult(false);
        }

        lock (Store.Gate)
        {
            if (node.IsDeleted)
            {
                throw new StoreException(StoreError.NotFound, $"'{source.Path}' was deleted meanwhile.");
            }

            if (node.Parent is not { } parent)
            {
                throw new StoreException(StoreError.Forbidden, "The root cannot be moved.");
            }

            EnsureCanReceive(node, name, replace);
            var now = Store.Clock.GetUtcNow();
            Replace(name, replace, now);
            parent.Detach(node, now);
            node.Name = name;
            Folder.Attach(node, now);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> CopyIntoAsync(string name, IHierarchyItem source, bool deep, bool replace, TreeErrors errors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckName(name);
        if (Own(source) is not { } node)
        {
            return ValueTask.FromResult(false);
        }

        lock (Store.Gate)
        {
            if (node.IsDeleted)
            {
                throw new StoreException(StoreError.NotFound, $"'{source.Path}' was deleted meanwhile.");
            }

            EnsureCanReceive(node, name, replace);
            var now = Store.Clock.GetUtcNow();
            var copy = node.Clone(name, deep, Store.State, now);
            Replace(name, replace, now);
            Folder.Attach(copy, now);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> DeleteTreeAsync(TreeErrors errors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            if (Folder.Parent is not { } parent)
            {
                throw new StoreException(StoreError.Forbidden, "The root cannot be deleted.");
            }

            parent.Detach(Folder, Store.Clock.GetUtcNow());
            Folder.MarkDeleted();
        }

        return ValueTask.FromResult(true);
    }

    // The node of an item from this state (any instance over it), or null for another store's item.
    private MemoryNode? Own(IHierarchyItem item) =>
        item is MemoryItem own && own.BelongsTo(Store.State) ? own.Node : null;

    // Called under the lock; the swap that makes a replacing move or copy atomic.
    private void Replace(string name, bool replace, DateTimeOffset now)
    {
        if (replace && Folder.Children.TryGetValue(name, out var existing))
        {
            Folder.Detach(existing, now);
            existing.MarkDeleted();
        }
    }

    // Called under the lock.
    private void EnsureCanCreate(string name)
    {
        EnsureNotDeleted();
        if (Folder.Children.ContainsKey(name))
        {
            throw new StoreException(StoreError.AlreadyExists, $"'{Path.Append(name)}' already exists.");
        }
    }

    // Called under the lock. The engine has checked all of this already; these are the races with other requests,
    // and the guard that keeps a folder from being grafted into itself.
    private void EnsureCanReceive(MemoryNode source, string name, bool replace)
    {
        EnsureNotDeleted();
        if (Folder.IsSameOrDescendantOf(source))
        {
            throw new StoreException(StoreError.Forbidden, "The destination lies inside the source.");
        }

        if (Folder.Children.TryGetValue(name, out var existing))
        {
            if (ReferenceEquals(existing, source))
            {
                throw new StoreException(StoreError.Forbidden, "The source and the destination are the same.");
            }

            if (!replace)
            {
                throw new StoreException(StoreError.AlreadyExists, $"Something is at '{Path.Append(name)}' already.");
            }

            if (source.IsSameOrDescendantOf(existing))
            {
                throw new StoreException(StoreError.Forbidden, "The destination contains the source.");
            }
        }
    }
}
