using System.Net;
using System.Xml.Linq;
using Davit.Conformance.Http;
using Davit.Storage;
using Davit.Uploads;

namespace Davit.Tests.Engine;

/// <summary>
/// A store that tracks uploads its own way implements IUploadProgress on its items; the engine's REPORT and
/// CANCELUPLOAD then use it instead of the engine's sessions.
/// </summary>
public sealed class NativeUploadProgressTests
{
    private static readonly XNamespace ITHit = "ithit";

    [Fact]
    public async Task Report_And_CancelUpload_Use_The_Stores_Own_Uploads()
    {
        var upload = new NativeUpload(DavPath.Parse("big.iso"));
        await using var server = await DavTestServer.StartAsync(new NativeStore(upload));

        var report = await Dav.MultistatusAsync(await server.Client.SendAsync("REPORT", "", "<i:upload-progress xmlns:i=\"ithit\"/>"));
        var response = Assert.Single(report.Root!.Elements(Dav.D + "response"));
        Assert.Equal("/big.iso", response.Element(Dav.D + "href")!.Value);
        Assert.Equal("4096", response.Descendants(ITHit + "bytes-uploaded").Single().Value);
        Assert.Equal("10000", response.Descendants(ITHit + "total-content-length").Single().Value);
        Assert.Equal("Fri, 02 Jan 2026 03:04:05 GMT", response.Descendants(ITHit + "last-chunk-saved").Single().Value);

        // The root lists the upload but is not it: nothing to cancel there.
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync("CANCELUPLOAD", "")).StatusCode);
        Assert.False(upload.Cancelled);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.SendAsync("CANCELUPLOAD", "big.iso")).StatusCode);
        Assert.True(upload.Cancelled);
    }

    private sealed class NativeUpload(DavPath path) : IResumableUpload
    {
        public bool Cancelled { get; private set; }

        public DavPath Path => path;

        public long BytesUploaded => 4096;

        public long? TotalContentLength => 10000;

        public DateTimeOffset LastChunkSavedUtc => new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        public ValueTask CancelUploadAsync(CancellationToken cancellationToken)
        {
            Cancelled = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NativeStore(NativeUpload upload) : IDavStore
    {
        public ValueTask<IHierarchyItem?> GetHierarchyItemAsync(DavPath path, StoreContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IHierarchyItem?>(path.IsRoot || path == upload.Path ? new Item(path, upload) : null);
    }

    // Items of this store list the one upload they know of (a real store would list those at or below the item).
    private sealed class Item(DavPath path, NativeUpload upload) : IFolder, IUploadProgress
    {
        public string Name => path.Name;

        public DavPath Path => path;

        public DateTimeOffset CreatedUtc => DateTimeOffset.UnixEpoch;

        public DateTimeOffset ModifiedUtc => DateTimeOffset.UnixEpoch;

        public ValueTask<IReadOnlyList<IResumableUpload>> GetUploadProgressAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<IResumableUpload>>([upload]);

        public IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(PropertySelection properties, CancellationToken cancellationToken) =>
            AsyncEnumerable.Empty<IHierarchyItem>();

        public ValueTask<IFile> CreateFileAsync(string name, FileContent content, CancellationToken cancellationToken) =>
            throw new StoreException(StoreError.Forbidden);

        public ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken) =>
            throw new StoreException(StoreError.Forbidden);

        public ValueTask DeleteAsync(CancellationToken cancellationToken) => throw new StoreException(StoreError.Forbidden);
    }
}
