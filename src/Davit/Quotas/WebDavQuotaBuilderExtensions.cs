using Davit.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Davit.Quotas;

/// <summary>Chooses where the engine's quotas come from.</summary>
public static class WebDavQuotaBuilderExtensions
{
    /// <summary>Enforces the quotas <typeparamref name="TProvider"/> (a singleton) gives.</summary>
    public static IWebDavBuilder AddQuotas<TProvider>(this IWebDavBuilder builder)
        where TProvider : class, IDavQuotaProvider
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<IDavQuotaProvider, TProvider>());
        return builder;
    }

    /// <summary>Enforces the quotas <paramref name="provider"/> gives.</summary>
    public static IWebDavBuilder AddQuotas(this IWebDavBuilder builder, IDavQuotaProvider provider)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(provider));
        return builder;
    }
}
