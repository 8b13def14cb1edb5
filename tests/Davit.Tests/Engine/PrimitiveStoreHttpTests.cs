using System.Xml.Linq;
using Davit.Conformance.Http;
using Davit.Locking;
using Davit.Storage;
using Davit.Storage.Memory;
using Davit.Uploads;

namespace Davit.Tests.Engine;

/// <summary>
/// The HTTP conformance suite against a store that offers only the required contract: items with their primitives and
/// dead properties, and no optional capability (no whole-tree copy, move or delete, no staging, no settable times).
/// It proves the engine's own tree walks and fallbacks: everything a client can do still works on such a store.
/// </summary>
public sealed class PrimitiveStoreHttpTests : HttpConformanceTests
{
    protected override IDavStore CreateStore() => new PrimitiveStore(new InMemoryStore());

    /// <summary>Only the required members of an in-memory store (locks and uploads stay the store's own).</summary>
    private sealed class PrimitiveStore(InMemoryStore inner) : IDavStore, ILockStore, IUploadSessionStore
    {
        public ValueTask<IUnitOfWork> BeginAsync(StoreContext context, UnitOfWorkMode mode, CancellationToken cancellationToken) =>
            inner.BeginAsync(context, mode, cancellationToken);

        public async ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, StoreContext context, CancellationToken cancellationToken) =>
            Wrap(await inner.GetHierarchyItemAsync(path, context, cancellationToken));

        public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) => inner.TryAddAsync(newLock, now, cancellationToken);

        public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) => inner.FindAsync(path, includeDescendants, now, cancellationToken);

        public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) => inner.GetAsync(token, now, cancellationToken);

        public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) => inner.RefreshAsync(token, timeout, expiresUtc, now, cancellationToken);

        public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) => inner.RemoveAsync(token, now, cancellationToken);

        public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) => inner.RemoveTreeAsync(path, cancellationToken);

        public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) => inner.GetAsync(path, now, cancellationToken);

        public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) => inner.ListAsync(path, now, cancellationToken);

        public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken) => inner.CreateAsync(path, totalLength, contentType, now, expiresUtc, cancellationToken);

        public ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken) => inner.WriteAsync(session, offset, data, totalLength, clock, lifetime, cancellationToken);

        public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken) => inner.TruncateAsync(session, bytesSaved, cancellationToken);

        public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken) => inner.OpenReadAsync(session, cancellationToken);

        public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken) => inner.DeleteAsync(session, cancellationToken);

        public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.DeleteExpiredAsync(now, cancellationToken);

        private static IHierarchyItem? Wrap(IHierarchyItem? item) => item switch
        {
            IFolder folder => new Folder(folder),
            IFile file => new File(file),
            _ => null,
        };

        private abstract class Item(IHierarchyItem item) : IHierarchyItem, IDeadProperties
        {
            public string Name => item.Name;

            public DavPath Path => item.Path;

            public DateTimeOffset CreatedUtc => item.CreatedUtc;

            public DateTimeOffset ModifiedUtc => item.ModifiedUtc;

            public ValueTask DeleteAsync(CancellationToken cancellationToken) => item.DeleteAsync(cancellationToken);

            public ValueTask<IReadOnlyList<DeadProperty>> GetPropertiesAsync(IReadOnlyCollection<XName>? names, CancellationToken cancellationToken) =>
                ((IDeadProperties)item).GetPropertiesAsync(names, cancellationToken);

            public ValueTask UpdatePropertiesAsync(IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken) =>
                ((IDeadProperties)item).UpdatePropertiesAsync(updates, cancellationToken);
        }

        private sealed class File(IFile file) : Item(file), IFile
        {
            public string ContentType => file.ContentType;

            public long ContentLength => file.ContentLength;

            public string ETag => file.ETag;

            public ValueTask<IContentReader> OpenReadAsync(CancellationToken cancellationToken) => file.OpenReadAsync(cancellationToken);

            public ValueTask WriteAsync(FileContent content, string? expectedETag, CancellationToken cancellationToken) => file.WriteAsync(content, expectedETag, cancellationToken);
        }

        private sealed class Folder(IFolder folder) : Item(folder), IFolder
        {
            public async IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(PropertySelection properties, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await foreach (var child in folder.GetChildrenAsync(properties, cancellationToken))
                {
                    yield return Wrap(child)!;
                }
            }

            public async ValueTask<IFile> CreateFileAsync(string name, FileContent content, CancellationToken cancellationToken) =>
                new File(await folder.CreateFileAsync(name, content, cancellationToken));

            public async ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken) =>
                new Folder(await folder.CreateFolderAsync(name, cancellationToken));
        }
    }
}
