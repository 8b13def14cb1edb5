using Davit.FileSystem;
using Davit.Hosting;
using Davit.PostgreSql;
using Davit.Quotas;
using Davit.Server;
using Davit.Server.Accounts;
using Davit.Server.Logging;

if (args.Length > 0 && args[0] == "users")
{
    // The users file may be named in appsettings.json or the environment, as for the server.
    var settings = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
    return new UsersCommand(Console.In, Console.Out, Console.Error, UsersCommand.PromptWithoutEcho)
        .Run(args[1..], settings[ServerOptions.SectionName + ":" + nameof(ServerOptions.UsersFile)]);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json ships next to the binaries, so it is found whatever the current directory is; the root
    // folder and the log file, on the other hand, are resolved against the current directory.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddCommandLine(args, ServerOptions.SwitchMappings);

var options = builder.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
var errors = options.Validate();
if (errors.Count > 0)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"Davit: {error}");
    }

    return 2;
}

var useMemory = StoreKinds.IsMemory(options.Store);
var usePostgres = StoreKinds.IsPostgres(options.Store);
var root = usePostgres ? string.Empty : Path.GetFullPath(options.Root);
if (!useMemory && !usePostgres && !TryPrepare(() => Directory.CreateDirectory(root), $"cannot use {root} as the root folder"))
{
    return 2;
}

FileLoggerProvider? fileLog = null;
var logFile = string.IsNullOrWhiteSpace(options.LogFile) ? null : Path.GetFullPath(options.LogFile);
if (logFile is not null)
{
    if (!TryPrepare(
        () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            fileLog = new FileLoggerProvider(logFile, TimeProvider.System);
        },
        $"cannot open the log file {logFile}"))
    {
        return 2;
    }

    builder.Logging.AddProvider(fileLog!);
}

// Disposed after the app, so the lines logged while the host stops still reach the file.
using var fileLogLifetime = fileLog;

AccountsOptions? accounts = null;
if (!string.IsNullOrWhiteSpace(options.UsersFile))
{
    accounts = new AccountsOptions(Path.GetFullPath(options.UsersFile), options.AnonymousRead, options.AllowBasicOverHttp,
        options.Realm, options.MaxFailedLogins, options.FailedLoginWindow);
    if (!File.Exists(accounts.UsersFile))
    {
        Console.Error.WriteLine($"Davit: there is no users file at {accounts.UsersFile}; create it with: users add <name> --users {accounts.UsersFile}");
        return 2;
    }

    try
    {
        UsersFile.Read(accounts.UsersFile);
    }
    catch (UsersFileException e)
    {
        Console.Error.WriteLine($"Davit: {e.Message}");
        return 2;
    }
}

System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
if (!string.IsNullOrWhiteSpace(options.Certificate))
{
    try
    {
        certificate = HttpsCertificate.Load(
            Path.GetFullPath(options.Certificate),
            string.IsNullOrWhiteSpace(options.CertificateKey) ? null : Path.GetFullPath(options.CertificateKey),
            options.CertificatePassword);
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine($"Davit: {e.Message}");
        return 2;
    }

    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
}

using var certificateLifetime = certificate;

// Kestrel keeps its defaults (synchronous I/O off); the engine lifts the request-body limit per request itself.
var engineSection = builder.Configuration.GetSection(ServerOptions.SectionName + ":Engine");
var dav = builder.Services.AddWebDav(engine => engineSection.Bind(engine));
if (useMemory)
{
    dav.AddInMemoryStore();
}
else if (usePostgres)
{
    var databaseSection = builder.Configuration.GetSection(ServerOptions.SectionName + ":PostgreSql");
    dav.AddPostgreSqlStore(store =>
    {
        databaseSection.Bind(store);
        store.ConnectionString = options.ConnectionString!;
        store.ContentCache = options.ContentCacheOptions();
    });
}
else
{
    dav.AddFileSystemStore(store => store.Root = root);
}

if (accounts is not null)
{
    dav.AddAccounts(accounts);
}

// Quotas (RFC 4331) on the folders of Davit:Quotas and on the home folders of users with a quota in the users file.
var folderQuotas = options.FolderQuotas();
if (folderQuotas.Count > 0 || accounts is not null)
{
    builder.Services.AddSingleton<IDavQuotaProvider>(sp => new ServerQuotas(folderQuotas, accounts is null ? null : sp.GetRequiredService<UserDirectory>()));
}

await using var app = builder.Build();
var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category);
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Log.UnhandledException(log, e.ExceptionObject as Exception);
    fileLog?.Dispose();
};
TaskScheduler.UnobservedTaskException += (_, e) => Log.UnobservedTaskException(log, e.Exception);

try
{
    if (accounts is not null)
    {
        app.UseAccounts(accounts);
    }

    app.MapWebDav(options.Prefix);
    await app.StartAsync();
    if (useMemory)
    {
        Log.ServingMemory(log, options.Prefix);
    }
    else if (usePostgres)
    {
        Log.ServingDatabase(log, options.Prefix);
    }
    else
    {
        Log.ServingFolder(log, root, options.Prefix);
    }

    if (logFile is not null)
    {
        Log.LoggingToFile(log, logFile);
    }

    if (accounts is not null)
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        Log.UsingUsersFile(log, accounts.UsersFile, users.Count, accounts.AnonymousRead ? "read-only" : "off");
    }

    if (certificate is not null)
    {
        Log.UsingCertificate(log, certificate.Subject, certificate.NotAfter.ToUniversalTime());
    }

    // Returns once Ctrl+C or SIGTERM has stopped the host and the open requests have finished.
    await app.WaitForShutdownAsync();
    Log.Stopped(log);
    return 0;
}
catch (SchemaException e)
{
    // A database this server must not use (a newer schema, not UTF8): said plainly, not as a stack trace.
    Console.Error.WriteLine($"Davit: {e.Message}");
    return 2;
}
catch (Exception e)
{
    Log.HostFailed(log, e);
    return 1;
}

static bool TryPrepare(Action action, string what)
{
    try
    {
        action();
        return true;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
    {
        Console.Error.WriteLine($"Davit: {what}: {e.Message}");
        return false;
    }
}
