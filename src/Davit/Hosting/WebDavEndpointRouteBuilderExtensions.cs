using Davit.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Davit.Hosting;

/// <summary>Maps the WebDAV endpoint.</summary>
public static class WebDavEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the store at <paramref name="prefix"/> ("/dav", or "/" for the root) for every HTTP method.
    /// Returns the convention builder, so <c>.RequireAuthorization()</c> and the like apply.
    /// </summary>
    public static IEndpointConventionBuilder MapWebDav(this IEndpointRouteBuilder endpoints, string prefix = "/")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var trimmed = "/" + prefix.Trim('/');
        var engine = endpoints.ServiceProvider.GetRequiredService<DavEngine>();
        var mount = new DavMount(trimmed == "/" ? string.Empty : trimmed);
        RequestDelegate handler = context => engine.ProcessAsync(context, mount);

        var pattern = mount.Prefix.Length == 0 ? "/{**davPath}" : mount.Prefix + "/{**davPath}";
        var builder = endpoints.Map(pattern, handler);
        // The prefix itself without a trailing slash ("/dav") is the root as well.
        var bare = mount.Prefix.Length == 0 ? null : endpoints.Map(mount.Prefix, handler);
        return new CompositeConventionBuilder(bare is null ? [builder] : [builder, bare]);
    }

    private sealed class CompositeConventionBuilder(IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var b in builders)
            {
                b.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var b in builders)
            {
                b.Finally(finallyConvention);
            }
        }
    }
}
