using Microsoft.Extensions.DependencyInjection;

namespace Davit.Hosting;

/// <summary>Returned by <c>AddWebDav</c> to choose a store and further options.</summary>
public interface IWebDavBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

internal sealed class WebDavBuilder(IServiceCollection services) : IWebDavBuilder
{
    public IServiceCollection Services { get; } = services;
}
