using Davit.Conformance.Http;
using Davit.FileSystem;
using Davit.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Davit.Browser.Tests;

/// <summary>
/// The real server for one test: the file-system store over a fresh folder, on Kestrel at 127.0.0.1 with a port
/// the OS picks. It counts the PUT body bytes it reads, so a test can tell a resumed upload from a restarted one.
/// </summary>
public sealed class PageServer : IAsyncDisposable
{
    private readonly FileSystemStore store;
    private readonly bool ownsRoot;
    private long putBytes;
    private int putsRunning;
    private int maxPutsRunning;

    private PageServer(DavTestServer server, FileSystemStore store, string root, bool ownsRoot)
    {
        Server = server;
        this.store = store;
        this.ownsRoot = ownsRoot;
        Root = root;
    }

    public DavTestServer Server { get; }

    /// <summary>The folder the store serves.</summary>
    public string Root { get; }

    /// <summary>The URL of the mount root, ending in '/'.</summary>
    public Uri Url => Server.Root;

    public HttpClient Client => Server.Client;

    /// <summary>PUT body bytes the server has read since it started.</summary>
    public long PutBytes => Interlocked.Read(ref putBytes);

    /// <summary>The most PUTs the server was answering at the same time.</summary>
    public int MaxConcurrentPuts => Volatile.Read(ref maxPutsRunning);

    public static async Task<PageServer> StartAsync(string prefix = "/", string? root = null, Action<DavOptions>? configure = null)
    {
        var ownsRoot = root is null;
        root ??= Directory.CreateTempSubdirectory("davit-browser-").FullName;
        var store = new FileSystemStore(new FileSystemStoreOptions { Root = root });
        PageServer? page = null;
        var server = await DavTestServer.StartAsync(store, prefix, configure, endpoint: (app, _) => app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsPut(context.Request.Method))
            {
                await next(context);
                return;
            }

            context.Request.Body = new CountingStream(context.Request.Body, n => Interlocked.Add(ref page!.putBytes, n));
            var running = Interlocked.Increment(ref page!.putsRunning);
            for (var seen = page.maxPutsRunning; running > seen; seen = page.maxPutsRunning)
            {
                Interlocked.CompareExchange(ref page.maxPutsRunning, running, seen);
            }

            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Decrement(ref page.putsRunning);
            }
        }));
        page = new PageServer(server, store, root, ownsRoot);
        return page;
    }

    /// <summary>The path on disk of a file below the root ("a/b.txt").</summary>
    public string OnDisk(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        store.Dispose();
        if (ownsRoot)
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private sealed class CountingStream(Stream inner, Action<int> count) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int length) => Counted(inner.Read(buffer, offset, length));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, length), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int length) => throw new NotSupportedException();

        private int Counted(int read)
        {
            count(read);
            return read;
        }
    }
}
