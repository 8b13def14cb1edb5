using Davit.Authorization;
using Davit.Engine;
using Davit.Storage;
using Davit.Storage.Memory;
using Davit.Uploads;
using Davit.Uploads.ITHit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Davit.Hosting;

/// <summary>Registers the WebDAV engine.</summary>
public static class WebDavServiceCollectionExtensions
{
    /// <summary>
    /// Adds the WebDAV engine. Choose a store on the returned builder (<see cref="AddStore{TStore}"/>,
    /// <see cref="AddInMemoryStore"/>, or a store package's own extension), then call <c>MapWebDav</c>. Locks and upload
    /// sessions are the store's own when it keeps them (<see cref="Locking.ILockStore"/>,
    /// <see cref="IUploadSessionStore"/>); otherwise an <see cref="Locking.ILockStore"/> or
    /// <see cref="IUploadSessionStore"/> service is used when registered, else locks are kept in this process's memory
    /// and resumable uploads are off. The engine logs at startup which applies.
    /// </summary>
    public static IWebDavBuilder AddWebDav(this IServiceCollection services, Action<DavOptions>? configure = null)
    {
        var options = services.AddOptions<DavOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.MaxXmlRequestBodySize > 0, "MaxXmlRequestBodySize must be positive.")
            .Validate(o => o.MaxXmlDepth is >= 8 and <= 1_000, "MaxXmlDepth must be between 8 and 1000.")
            .Validate(o => o.MaxRequestBodySize is null or > 0, "MaxRequestBodySize must be positive or null.")
            .Validate(o => o.DefaultLockTimeout > TimeSpan.Zero || o.DefaultLockTimeout == Timeout.InfiniteTimeSpan, "DefaultLockTimeout must be positive.")
            .Validate(o => o.MaxLockTimeout > TimeSpan.Zero || o.MaxLockTimeout == Timeout.InfiniteTimeSpan, "MaxLockTimeout must be positive.")
            .Validate(o => o.UploadExpiration > TimeSpan.Zero, "UploadExpiration must be positive.")
            .Validate(o => o.UploadCleanupInterval > TimeSpan.Zero, "UploadCleanupInterval must be positive.")
            .Validate(o => o.IncompleteUploadStatus is 200 or 202 or 204 or 308, "IncompleteUploadStatus must be 308, 200, 202 or 204.")
            .Validate(o => o.ResumableUploadThreshold >= 0, "ResumableUploadThreshold must not be negative.")
            .Validate(o => o.MaxUploadLength is null or >= 0, "MaxUploadLength must not be negative.")
            .Validate(o => o.CorsOrigins.All(Uploads.Cors.IsValidOrigin), "CorsOrigins must be '*' or origins such as https://app.example.com.")
            .Validate(o => o.CorsMaxAge >= TimeSpan.Zero, "CorsMaxAge must not be negative.")
            .ValidateOnStart();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DavEngine>();
        services.TryAddSingleton<IDavAuthorizer, AllowAllAuthorizer>();
        services.TryAddSingleton<IDavHomeFolderProvider, StoreRootHomeFolders>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestProtocol, ITHitUploadProtocol>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestProtocol, CorsPreflightProtocol>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestProtocol, Uploads.Tus.TusProtocol>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestProtocol, Uploads.Ietf.IetfProtocol>());
        services.AddHostedService<StorageReport>();
        services.AddHostedService<UploadJanitor>();
        return new WebDavBuilder(services);
    }

    /// <summary>Uses <typeparamref name="TStore"/> as the store, created once (singleton).</summary>
    public static IWebDavBuilder AddStore<TStore>(this IWebDavBuilder builder)
        where TStore : class, IDavStore
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<IDavStore, TStore>());
        return builder;
    }

    /// <summary>Uses <paramref name="store"/> as the store.</summary>
    public static IWebDavBuilder AddStore(this IWebDavBuilder builder, IDavStore store)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(store));
        return builder;
    }

    /// <summary>Uses a store that keeps everything (content, locks, uploads in progress) in memory and forgets it when the
    /// process ends.</summary>
    public static IWebDavBuilder AddInMemoryStore(this IWebDavBuilder builder) => builder.AddStore(new InMemoryStore());
}
