using System.Net;
using System.Xml.Linq;
using Davit.Locking;
using Davit.Storage;
using Davit.Uploads;

namespace Davit.Conformance.Http;

/// <summary>
/// A write whose unit of work fails to commit is answered as a failure, never with a 2xx: the store is wrapped so
/// that, while the test arms it, every commit reports <see cref="StoreError.InsufficientStorage"/> (a failure a real
/// store cannot produce on demand). A store that rolls back (<see cref="RollsBack"/>) must also show nothing changed.
/// </summary>
public abstract class CommitFailureConformanceTests : IAsyncLifetime
{
    private const string LockBody = "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";

    private FailingCommitStore store = null!;

    protected DavTestServer Server { get; private set; } = null!;

    protected HttpClient Client => Server.Client;

    /// <summary>A fresh, empty store.</summary>
    protected abstract IDavStore CreateStore();

    /// <summary>True when the store undoes a write whose commit failed (a transaction, or compensations).</summary>
    protected abstract bool RollsBack { get; }

    public async Task InitializeAsync()
    {
        store = new FailingCommitStore(CreateStore());
        Server = await DavTestServer.StartAsync(store);
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MKCOL", "dir/")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("dir/a.txt", "original")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsync("b.txt", "bee")).StatusCode);
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Disposal.DisposeIfDisposableAsync(store.Inner);
    }

    public static TheoryData<string> Writes =>
    [
        "PUT new", "PUT replace", "MKCOL", "DELETE file", "DELETE folder", "COPY", "COPY over", "MOVE", "MOVE over",
        "PROPPATCH", "LOCK", "LOCK unmapped", "UNLOCK",
    ];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_Failed_Commit_Is_Never_Answered_With_2xx(string write)
    {
        var token = write == "UNLOCK" ? (await Client.SendAsync("LOCK", "b.txt", Dav.Xml(LockBody))).Headers.GetValues("Lock-Token").Single() : null;
        var before = await SnapshotAsync();

        store.FailCommits = true;
        var response = write switch
        {
            "PUT new" => await Client.PutAsync("new.txt", "new"),
            "PUT replace" => await Client.PutAsync("dir/a.txt", "replaced"),
            "MKCOL" => await Client.SendAsync("MKCOL", "made/"),
            "DELETE file" => await Client.SendAsync("DELETE", "b.txt"),
            "DELETE folder" => await Client.SendAsync("DELETE", "dir/"),
            "COPY" => await Client.SendAsync("COPY", "dir/", null, ("Destination", Server.Url("copy/").AbsoluteUri)),
            "COPY over" => await Client.SendAsync("COPY", "b.txt", null, ("Destination", Server.Url("dir/a.txt").AbsoluteUri)),
            "MOVE" => await Client.SendAsync("MOVE", "dir/", null, ("Destination", Server.Url("moved/").AbsoluteUri)),
            "MOVE over" => await Client.SendAsync("MOVE", "b.txt", null, ("Destination", Server.Url("dir/a.txt").AbsoluteUri)),
            "PROPPATCH" => await Client.SendAsync("PROPPATCH", "b.txt", Dav.Xml("<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x xmlns=\"urn:z\">1</x></D:prop></D:set></D:propertyupdate>")),
            "LOCK" => await Client.SendAsync("LOCK", "dir/a.txt", Dav.Xml(LockBody)),
            "LOCK unmapped" => await Client.SendAsync("LOCK", "ghost.txt", Dav.Xml(LockBody)),
            _ => await Client.SendAsync("UNLOCK", "b.txt", null, ("Lock-Token", token!)),
        };
        store.FailCommits = false;

        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        if (RollsBack)
        {
            Assert.Equal(before, await SnapshotAsync());
        }
    }

    // What a client can see of the tree: every href with its content or property values, and the locks.
    private async Task<string> SnapshotAsync()
    {
        var listing = await Dav.MultistatusAsync(await Client.PropfindAsync("", "1", Dav.Xml("<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>")));
        var lines = new List<string>();
        foreach (var href in Dav.Hrefs(listing).Order(StringComparer.Ordinal))
        {
            lines.Add(href);
            var response = listing.Root!.Elements(Dav.D + "response").Single(r => r.Element(Dav.D + "href")!.Value == href);
            lines.AddRange(response.Descendants(Dav.D + "prop").Elements()
                .Where(p => p.Name != Dav.D + "getlastmodified" && p.Name != Dav.D + "creationdate" && p.Name != Dav.D + "getetag")
                .Select(p => p.Name.ToString() + "=" + (p.Name == Dav.D + "lockdiscovery" ? p.Descendants(Dav.D + "locktoken").Count().ToString() : p.Value)));
            if (!href.EndsWith('/'))
            {
                lines.Add(await Client.GetStringAsync(href));
            }
        }

        var inside = await Dav.MultistatusAsync(await Client.PropfindAsync("dir/", "1"));
        lines.AddRange(Dav.Hrefs(inside).Order(StringComparer.Ordinal));
        return string.Join("\n", lines);
    }

    /// <summary>A store whose write units of work fail to commit while <see cref="FailCommits"/> is set; everything
    /// else is the inner store's.</summary>
    private sealed class FailingCommitStore(IDavStore inner) : IDavStore, ILockStore, IUploadSessionStore, IContentStaging
    {
        public IDavStore Inner { get; } = inner;

        public volatile bool FailCommits;

        public async ValueTask<IUnitOfWork> BeginAsync(StoreContext context, UnitOfWorkMode mode, CancellationToken cancellationToken) =>
            new Unit(this, await Inner.BeginAsync(context, mode, cancellationToken));

        public async ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, StoreContext context, CancellationToken cancellationToken)
        {
            // The inner store finds its own unit of work on the context, as it would without the wrapper.
            var outer = context.UnitOfWork;
            context.UnitOfWork = (outer as Unit)?.InnerUnit ?? outer;
            try
            {
                return await Inner.GetHierarchyItemAsync(path, context, cancellationToken);
            }
            finally
            {
                context.UnitOfWork = outer;
            }
        }

        public ValueTask<IStagedContent> StageAsync(Stream data, long? expectedLength, CancellationToken cancellationToken) =>
            ((IContentStaging)Inner).StageAsync(data, expectedLength, cancellationToken);

        private ILockStore Locks => (ILockStore)Inner;

        private IUploadSessionStore Sessions => (IUploadSessionStore)Inner;

        public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) => Locks.TryAddAsync(newLock, now, cancellationToken);

        public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) => Locks.FindAsync(path, includeDescendants, now, cancellationToken);

        public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) => Locks.GetAsync(token, now, cancellationToken);

        public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) => Locks.RefreshAsync(token, timeout, expiresUtc, now, cancellationToken);

        public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) => Locks.RemoveAsync(token, now, cancellationToken);

        public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) => Locks.RemoveTreeAsync(path, cancellationToken);

        public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) => Sessions.GetAsync(path, now, cancellationToken);

        public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) => Sessions.ListAsync(path, now, cancellationToken);

        public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken) => Sessions.CreateAsync(path, totalLength, contentType, now, expiresUtc, cancellationToken);

        public ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken) => Sessions.WriteAsync(session, offset, data, totalLength, clock, lifetime, cancellationToken);

        public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken) => Sessions.TruncateAsync(session, bytesSaved, cancellationToken);

        public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken) => Sessions.OpenReadAsync(session, cancellationToken);

        public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken) => Sessions.DeleteAsync(session, cancellationToken);

        public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Sessions.DeleteExpiredAsync(now, cancellationToken);

        /// <summary>The inner unit of work, standing in for the inner store's lock and session views as it would.</summary>
        private sealed class Unit(FailingCommitStore store, IUnitOfWork inner) : IUnitOfWork, ILockStore, IUploadSessionStore
        {
            public IUnitOfWork InnerUnit => inner;

            private ILockStore Locks => inner as ILockStore ?? store.Locks;

            private IUploadSessionStore Sessions => inner as IUploadSessionStore ?? store.Sessions;

            public ValueTask CommitAsync(CancellationToken cancellationToken) =>
                store.FailCommits
                    ? throw new StoreException(StoreError.InsufficientStorage, "The test made this commit fail.")
                    : inner.CommitAsync(cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();

            public ValueTask<IReadOnlyList<ActiveLock>> TryAddAsync(ActiveLock newLock, DateTimeOffset now, CancellationToken cancellationToken) => Locks.TryAddAsync(newLock, now, cancellationToken);

            public ValueTask<IReadOnlyList<ActiveLock>> FindAsync(DavPath path, bool includeDescendants, DateTimeOffset now, CancellationToken cancellationToken) => Locks.FindAsync(path, includeDescendants, now, cancellationToken);

            public ValueTask<ActiveLock?> GetAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) => Locks.GetAsync(token, now, cancellationToken);

            public ValueTask<ActiveLock?> RefreshAsync(string token, TimeSpan timeout, DateTimeOffset expiresUtc, DateTimeOffset now, CancellationToken cancellationToken) => Locks.RefreshAsync(token, timeout, expiresUtc, now, cancellationToken);

            public ValueTask<bool> RemoveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) => Locks.RemoveAsync(token, now, cancellationToken);

            public ValueTask RemoveTreeAsync(DavPath path, CancellationToken cancellationToken) => Locks.RemoveTreeAsync(path, cancellationToken);

            public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) => Sessions.GetAsync(path, now, cancellationToken);

            public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) => Sessions.ListAsync(path, now, cancellationToken);

            public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken) => Sessions.CreateAsync(path, totalLength, contentType, now, expiresUtc, cancellationToken);

            public ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken) => Sessions.WriteAsync(session, offset, data, totalLength, clock, lifetime, cancellationToken);

            public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken) => Sessions.TruncateAsync(session, bytesSaved, cancellationToken);

            public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken) => Sessions.OpenReadAsync(session, cancellationToken);

            public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken) => Sessions.DeleteAsync(session, cancellationToken);

            public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Sessions.DeleteExpiredAsync(now, cancellationToken);
        }
    }
}
