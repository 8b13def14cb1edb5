using Davit.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Davit.Authorization;

/// <summary>Chooses how the engine authorizes operations and where users are confined.</summary>
public static class WebDavAuthorizationBuilderExtensions
{
    /// <summary>Uses <typeparamref name="TAuthorizer"/> (a singleton) to decide every operation.</summary>
    public static IWebDavBuilder AddAuthorizer<TAuthorizer>(this IWebDavBuilder builder)
        where TAuthorizer : class, IDavAuthorizer
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<IDavAuthorizer, TAuthorizer>());
        return builder;
    }

    /// <summary>Uses <paramref name="authorizer"/> to decide every operation.</summary>
    public static IWebDavBuilder AddAuthorizer(this IWebDavBuilder builder, IDavAuthorizer authorizer)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(authorizer));
        return builder;
    }

    /// <summary>Confines users to the folders <typeparamref name="TProvider"/> (a singleton) gives.</summary>
    public static IWebDavBuilder AddHomeFolders<TProvider>(this IWebDavBuilder builder)
        where TProvider : class, IDavHomeFolderProvider
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<IDavHomeFolderProvider, TProvider>());
        return builder;
    }

    /// <summary>Confines users to the folders <paramref name="provider"/> gives.</summary>
    public static IWebDavBuilder AddHomeFolders(this IWebDavBuilder builder, IDavHomeFolderProvider provider)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(provider));
        return builder;
    }

    /// <summary>
    /// Decides every operation with ASP.NET Core authorization: named policies per access
    /// (<see cref="DavPolicyAuthorizationOptions"/>), or the <see cref="DavAccessRequirement"/> of the access,
    /// with the engine's <see cref="DavAuthorizationRequest"/> as the resource.
    /// </summary>
    public static IWebDavBuilder UseAuthorizationPolicies(this IWebDavBuilder builder, Action<DavPolicyAuthorizationOptions>? configure = null)
    {
        builder.Services.AddAuthorizationCore();
        var options = builder.Services.AddOptions<DavPolicyAuthorizationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<IDavAuthorizer, PolicyAuthorizer>());
        return builder;
    }
}
