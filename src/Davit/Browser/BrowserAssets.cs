using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;
using Davit.Engine;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Davit.Browser;

/// <summary>
/// The browser page's script, style sheet and icon, embedded in the assembly (built from <c>ui/</c>). Each is
/// served under a name that carries a hash of its content (<c>?davit-asset=app.3f9c01a2b4.js</c> on the mount
/// root), so it can be cached for a year and a new build is fetched at once. Brotli and gzip variants are made
/// once, on first use, and sent to clients that accept them.
/// </summary>
internal sealed class BrowserAssets
{
    /// <summary>The query parameter that names an asset. A query on the mount root cannot collide with a file name.</summary>
    public const string QueryKey = "davit-asset";

    private static readonly Lazy<BrowserAssets> Shared = new(Load);

    private readonly FrozenDictionary<string, Asset> byHashedName;
    private readonly FrozenDictionary<string, string> hashedNames;

    private BrowserAssets(IEnumerable<Asset> assets)
    {
        var list = assets.ToList();
        byHashedName = list.ToFrozenDictionary(a => a.HashedName, StringComparer.Ordinal);
        hashedNames = list.ToFrozenDictionary(a => a.Name, a => a.HashedName, StringComparer.Ordinal);
    }

    public static BrowserAssets Instance => Shared.Value;

    /// <summary>The URL of the asset built as <paramref name="name"/> ("app.js"), below the mount's href prefix.</summary>
    public string Url(string hrefPrefix, string name) => $"{hrefPrefix}/?{QueryKey}={hashedNames[name]}";

    /// <summary>
    /// True for a GET or HEAD of the root the user sees (the mount root, or their home folder) that names an asset:
    /// every user who can open the page can fetch its assets.
    /// </summary>
    public static bool IsRequested(DavRequest context, IFolder folder) =>
        folder.Path == context.Home && context.Request.Query.ContainsKey(QueryKey);

    public ValueTask SendAsync(DavRequest context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!byHashedName.TryGetValue(request.Query[QueryKey].ToString(), out var asset))
        {
            // An old page asking for the assets of an earlier build: it reloads and gets the new names.
            throw new DavException(StatusCodes.Status404NotFound, "There is no such asset.");
        }

        var variant = asset.Choose(request.GetTypedHeaders().AcceptEncoding);
        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.ETag = variant.ETag;
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentType = asset.ContentType;
        if (variant.Encoding is not null)
        {
            response.Headers.ContentEncoding = variant.Encoding;
        }

        var ifNoneMatch = request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(variant.ETag), useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return ValueTask.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = variant.Bytes.Length;
        if (HttpMethods.IsHead(request.Method))
        {
            return ValueTask.CompletedTask;
        }

        context.BytesSent += variant.Bytes.Length;
        return new ValueTask(response.Body.WriteAsync(variant.Bytes, context.Aborted).AsTask());
    }

    private static BrowserAssets Load()
    {
        var assembly = typeof(BrowserAssets).Assembly;
        const string prefix = "Davit.Browser.Assets.";
        var assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return Asset.Create(n[prefix.Length..], buffer.ToArray());
            });
        return new BrowserAssets(assets);
    }

    private sealed record Variant(byte[] Bytes, string? Encoding, string ETag);

    private sealed class Asset
    {
        private Variant identity = null!;
        private Variant? brotli;
        private Variant? gzip;

        public required string Name { get; init; }

        public required string HashedName { get; init; }

        public required string ContentType { get; init; }

        public static Asset Create(string name, byte[] bytes)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..10];
            var dot = name.LastIndexOf('.');
            var asset = new Asset
            {
                Name = name,
                HashedName = $"{name[..dot]}.{hash}{name[dot..]}",
                ContentType = name[dot..] switch
                {
                    ".js" => "text/javascript; charset=utf-8",
                    ".css" => "text/css; charset=utf-8",
                    ".svg" => "image/svg+xml",
                    _ => "application/octet-stream",
                },
            };
            asset.identity = new Variant(bytes, null, $"\"{hash}\"");

            // Compressed once, at the highest settings: the assets never change while the process runs.
            var br = Compress(bytes, s => new BrotliStream(s, CompressionLevel.SmallestSize));
            var gz = Compress(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize));
            asset.brotli = br.Length < bytes.Length ? new Variant(br, "br", $"\"{hash}-br\"") : null;
            asset.gzip = gz.Length < bytes.Length ? new Variant(gz, "gzip", $"\"{hash}-gz\"") : null;
            return asset;
        }

        /// <summary>The smallest variant the client accepts (RFC 9110 §12.5.3; q=0 refuses a coding).</summary>
        public Variant Choose(IList<StringWithQualityHeaderValue> acceptEncoding)
        {
            bool Accepts(string coding)
            {
                var entry = acceptEncoding.FirstOrDefault(e => e.Value.Equals(coding, StringComparison.OrdinalIgnoreCase))
                    ?? acceptEncoding.FirstOrDefault(e => e.Value == "*");
                return entry is not null && (entry.Quality ?? 1) > 0;
            }

            if (brotli is not null && Accepts("br"))
            {
                return brotli;
            }

            return gzip is not null && Accepts("gzip") ? gzip : identity;
        }

        private static byte[] Compress(byte[] bytes, Func<Stream, Stream> encoder)
        {
            using var output = new MemoryStream();
            using (var stream = encoder(output))
            {
                stream.Write(bytes);
            }

            return output.ToArray();
        }
    }
}
