using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Davit.Conformance;
using Davit.Hosting;
using Davit.Server.Accounts;
using Davit.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Davit.Server.Tests.Accounts;

/// <summary>
/// The server's accounts wiring (AddAccounts, UseAccounts) around the engine and an in-memory store, on real
/// Kestrel at 127.0.0.1 with a port the OS picks, a fake clock, and optionally a pretend client address (to see
/// what a client on another machine gets without listening anywhere but loopback).
/// </summary>
internal sealed class AccountsTestHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TempFolder temp;

    private AccountsTestHost(WebApplication app, TempFolder temp, ManualTimeProvider clock, string usersFile)
    {
        this.app = app;
        this.temp = temp;
        Clock = clock;
        UsersFile = usersFile;
        BaseAddress = new Uri(app.Urls.First() + "/");
    }

    public Uri BaseAddress { get; }

    public ManualTimeProvider Clock { get; }

    public string UsersFile { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Starts with <paramref name="users"/> (name, password, access) in a fresh users file.</summary>
    public static async Task<AccountsTestHost> StartAsync(
        (string Name, string Password, AccountAccess Access)[] users,
        bool anonymousRead = false,
        bool allowBasicOverHttp = false,
        IPAddress? pretendClient = null,
        Action<Davit.Hosting.DavOptions>? dav = null)
    {
        var temp = new TempFolder();
        var file = temp.Combine("users.json");
        Davit.Server.Accounts.UsersFile.Write(file, users.Select(u => new UserAccount(u.Name, PasswordVerifier.Hash(u.Password), u.Access, DavPath.Root, [])));
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var options = new AccountsOptions(file, anonymousRead, allowBasicOverHttp, "Test realm", 5, TimeSpan.FromMinutes(5));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddWebDav(o => dav?.Invoke(o)).AddInMemoryStore().AddAccounts(options);
        var app = builder.Build();
        if (pretendClient is not null)
        {
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress = pretendClient;
                return next(context);
            });
        }

        app.UseAccounts(options);
        app.MapWebDav();
        await app.StartAsync();
        return new AccountsTestHost(app, temp, clock, file);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public static AuthenticationHeaderValue Basic(string name, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{password}")));

    public async Task<HttpResponseMessage> SendAsync(string method, string url, (string Name, string Password)? credentials, string? body = null)
    {
        using var client = CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (credentials is { } c)
        {
            request.Headers.Authorization = Basic(c.Name, c.Password);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        temp.Dispose();
    }
}
