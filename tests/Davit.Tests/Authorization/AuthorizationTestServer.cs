using System.Security.Claims;
using System.Text.Encodings.Web;
using Davit.Authorization;
using Davit.Conformance.Http;
using Davit.Hosting;
using Davit.Storage;
using Davit.Storage.Memory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Davit.Tests.Authorization;

/// <summary>
/// The engine on real Kestrel over an in-memory store, with a test authentication scheme (the X-User header names
/// the user; none is anonymous; its challenge is 401 with WWW-Authenticate: Test) and a given authorizer and home
/// folders.
/// </summary>
internal sealed class AuthorizationTestServer : IAsyncDisposable
{
    private AuthorizationTestServer(DavTestServer server, InMemoryStore store)
    {
        Server = server;
        Store = store;
    }

    public DavTestServer Server { get; }

    public InMemoryStore Store { get; }

    public static async Task<AuthorizationTestServer> StartAsync(
        IDavAuthorizer? authorizer = null,
        IDavHomeFolderProvider? homes = null,
        bool authentication = true,
        string prefix = "/",
        Action<IServiceCollection>? services = null)
    {
        var store = new InMemoryStore();
        var server = await DavTestServer.StartAsync(
            store,
            prefix,
            services: s =>
            {
                if (authentication)
                {
                    s.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, UserHeaderHandler>("Test", null);
                }

                if (authorizer is not null)
                {
                    s.Replace(ServiceDescriptor.Singleton(authorizer));
                }

                if (homes is not null)
                {
                    s.Replace(ServiceDescriptor.Singleton(homes));
                }

                services?.Invoke(s);
            },
            endpoint: (app, _) =>
            {
                if (authentication)
                {
                    app.UseAuthentication();
                }
            });
        return new AuthorizationTestServer(server, store);
    }

    /// <summary>Sends a request as <paramref name="user"/> (null: anonymous).</summary>
    public async Task<HttpResponseMessage> SendAsync(string? user, string method, string url, string? body = null, params (string Name, string Value)[] headers)
    {
        var request = Dav.Request(method, url, null, headers);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, method is "PUT" ? "text/plain" : "application/xml");
        }

        if (user is not null)
        {
            request.Headers.Add("X-User", user);
        }

        return await Server.Client.SendAsync(request);
    }

    /// <summary>What the store holds at <paramref name="path"/> (a store path), read directly.</summary>
    public async Task<IHierarchyItem?> GetAsync(string path) =>
        await Store.GetHierarchyItemAsync(DavPath.Parse(path), StoreContext.None(), CancellationToken.None);

    public async Task<string?> ReadAsync(string path)
    {
        if (await GetAsync(path) is not IFile file)
        {
            return null;
        }

        using var output = new MemoryStream();
        await using var reader = await file.OpenReadAsync(CancellationToken.None);
        await reader.ReadAsync(output, 0, reader.Length, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>Creates the file (and its folders) directly in the store.</summary>
    public async Task SeedAsync(string path, string text)
    {
        var davPath = DavPath.Parse(path);
        var folder = (IFolder)(await GetAsync(string.Empty))!;
        var current = DavPath.Root;
        foreach (var segment in davPath.Parent.Segments)
        {
            current = current.Append(segment);
            folder = await GetAsync(current.ToString()) as IFolder ?? await folder.CreateFolderAsync(segment, CancellationToken.None);
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (await GetAsync(path) is IFile existing)
        {
            await existing.WriteAsync(FileContent.FromStream(new MemoryStream(bytes), bytes.Length, null), null, CancellationToken.None);
        }
        else
        {
            await folder.CreateFileAsync(davPath.Name, FileContent.FromStream(new MemoryStream(bytes), bytes.Length, null), CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Authenticates whoever the X-User header names; no header, anonymous.</summary>
    private sealed class UserHeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers["X-User"].ToString();
            if (user.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Test";
            return Task.CompletedTask;
        }
    }
}

/// <summary>An authorizer decided by a function, recording every question it was asked.</summary>
internal sealed class RuleAuthorizer(Func<DavAuthorizationRequest, bool> rule) : IDavAuthorizer
{
    private readonly List<string> asked = [];

    public IReadOnlyList<string> Asked
    {
        get
        {
            lock (asked)
            {
                return [.. asked];
            }
        }
    }

    public ValueTask<DavAuthorizationResult> AuthorizeAsync(DavAuthorizationRequest request, CancellationToken cancellationToken)
    {
        lock (asked)
        {
            asked.Add($"{request.User.Identity?.Name ?? "-"} {request}");
        }

        return ValueTask.FromResult(rule(request) ? DavAuthorizationResult.Allow : DavAuthorizationResult.Deny("test rule"));
    }

    /// <summary>Everyone may read; only <paramref name="writers"/> may do anything else.</summary>
    public static RuleAuthorizer ReadOnlyExcept(params string[] writers) =>
        new(r => r.Access == DavAccess.Read || writers.Contains(r.User.Identity?.Name));
}

/// <summary>Home folders by user name; others see the whole store.</summary>
internal sealed class MapHomeFolders(Dictionary<string, string> homes) : IDavHomeFolderProvider
{
    public ValueTask<DavPath> GetHomeAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ValueTask.FromResult(user.Identity?.Name is { } name && homes.TryGetValue(name, out var home) ? DavPath.Parse(home) : DavPath.Root);
}
