using Davit.Hosting;
using Davit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Davit.FileSystem;

/// <summary>Registers the file-system store.</summary>
public static class FileSystemWebDavBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="FileSystemStore"/> as the store: one instance (singleton) replacing any store registered
    /// before. The options are validated when the host starts: <see cref="FileSystemStoreOptions.Root"/> must not be
    /// empty. Relative paths are resolved against the application's content root.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddWebDav</c>.</param>
    /// <param name="configure">Sets the options.</param>
    public static IWebDavBuilder AddFileSystemStore(this IWebDavBuilder builder, Action<FileSystemStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<FileSystemStoreOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Root), "FileSystemStoreOptions.Root must not be empty.")
            .ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton<IDavStore>(CreateStore));
        return builder;
    }

    private static FileSystemStoreOptions Resolve(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<FileSystemStoreOptions>>().Value;
        var baseDirectory = services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        return new FileSystemStoreOptions
        {
            Root = Path.GetFullPath(configured.Root, baseDirectory),
            MetadataPath = configured.MetadataPath is null ? null : Path.GetFullPath(configured.MetadataPath, baseDirectory),
        };
    }

    private static FileSystemStore CreateStore(IServiceProvider services) =>
        new(Resolve(services), services.GetService<TimeProvider>());
}
