using Davit.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Davit.Hosting;

/// <summary>Maps the WebDAV endpoint.</summary>
public static class WebDavEndpointRouteBuilderExtensions
{
    // Routes with a higher order lose to the application's own routes on the same path.
    private const int AboveMountOrder = 1000;

    /// <summary>
    /// Serves the store at <paramref name="prefix"/> ("/dav", or "/" for the root) for every HTTP method, and, unless
    /// <see cref="DavOptions.AnswerAboveMount"/> is off, OPTIONS and PROPFIND at the paths above the prefix.
    /// Returns the convention builder of them all, so <c>.RequireAuthorization()</c> and the like apply.
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
        var builders = new List<IEndpointConventionBuilder> { builder };
        if (mount.Prefix.Length > 0)
        {
            builders.Add(endpoints.Map(mount.Prefix, handler));
            if (endpoints.ServiceProvider.GetRequiredService<IOptions<DavOptions>>().Value.AnswerAboveMount)
            {
                var segments = mount.Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
                for (var depth = 0; depth < segments.Length; depth++)
                {
                    var parent = segments[..depth];
                    var above = endpoints.Map("/" + string.Join('/', parent), context => engine.ProcessAboveMountAsync(context, mount, parent))
                        .WithMetadata(new HttpMethodMetadata([HttpMethods.Options, "PROPFIND"]));
                    above.Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = AboveMountOrder);
                    builders.Add(above);
                }
            }
        }

        return new CompositeConventionBuilder([.. builders]);
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
