using System.Xml.Linq;

namespace Davit.Storage.Memory;

/// <summary>A folder of the in-memory store as one request sees it.</summary>
internal sealed class MemoryFolder : MemoryItem, IFolder, IModificationTime
{
    public MemoryFolder(InMemoryStore store, MemoryFolderNode folder, DavPath path)
        : base(store, folder, path)
    {
        Node = folder;
    }

    internal MemoryFolderNode Node { get; }

    public override DateTimeOffset ModifiedUtc
    {
        get
        {
            lock (Store.Gate)
            {
                return Node.ModifiedUtc;
            }
        }
    }

    public ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Store.Gate)
        {
            EnsureNotDeleted();
            Node.ModifiedUtc = modifiedUtc.ToUniversalTime();
        }

        return ValueTask.CompletedTask;
    }

    internal bool BelongsTo(InMemoryStore store) => ReferenceEquals(Store, store);

    public IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(IReadOnlyCollection<XName> requestedProperties, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // A snapshot taken at once: members added or removed while the caller enumerates do not disturb it.
        List<IHierarchyItem> children;
        lock (Store.Gate)
        {
            children = [.. Node.Children.Values.Select(child => Store.CreateItem(child, Path.Append(child.Name)))];
        }

        return children.ToAsyncEnumerable();
    }

    public async ValueTask<IFile> CreateFileAsync(string name, Stream content, string? contentType, long totalLength, CancellationToken cancellationToken)
    {
        CheckName(name);
        lock (Store.Gate)
        {
            // Refuse early rather than read a body that would be thrown away; checked again below.
            EnsureCanCreate(name);
        }

        var bytes = await MemoryBytes.ReadAsync(content, cancellationToken);
        lock (Store.Gate)
        {
            EnsureCanCreate(name);
            var now = Store.Clock.GetUtcNow();
            var file = new MemoryFileNode(name, now, new MemoryFileVersion(bytes, Store.NextETag(), contentType, now));
            Node.Attach(file, now);
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
            Node.Attach(folder, now);
            return ValueTask.FromResult<IFolder>(new MemoryFolder(Store, folder, Path.Append(name)));
        }
    }

    private void EnsureCanCreate(string name)
    {
        if (Node.IsDeleted)
        {
            throw new DavException(409, $"The folder '{Path}' was deleted meanwhile.");
        }

        if (Node.Children.ContainsKey(name))
        {
            throw new DavException(405, $"'{Path.Append(name)}' already exists.");
        }
    }
}
