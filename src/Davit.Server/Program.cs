using Davit.FileSystem;
using Davit.Hosting;
using Davit.Server;
using Davit.Server.Logging;

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
var root = Path.GetFullPath(options.Root);
if (!useMemory && !TryPrepare(() => Directory.CreateDirectory(root), $"cannot use {root} as the root folder"))
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

// Kestrel keeps its defaults (synchronous I/O off); the engine lifts the request-body limit per request itself.
var engineSection = builder.Configuration.GetSection(ServerOptions.SectionName + ":Engine");
var dav = builder.Services.AddWebDav(engine => engineSection.Bind(engine));
if (useMemory)
{
    dav.AddInMemoryStore();
}
else
{
    dav.AddFileSystemStore(store => store.Root = root);
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
    app.MapWebDav(options.Prefix);
    await app.StartAsync();
    if (useMemory)
    {
        Log.ServingMemory(log, options.Prefix);
    }
    else
    {
        Log.ServingFolder(log, root, options.Prefix);
    }

    if (logFile is not null)
    {
        Log.LoggingToFile(log, logFile);
    }

    // Returns once Ctrl+C or SIGTERM has stopped the host and the open requests have finished.
    await app.WaitForShutdownAsync();
    Log.Stopped(log);
    return 0;
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
