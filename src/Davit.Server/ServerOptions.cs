namespace Davit.Server;

/// <summary>The "Davit" configuration section: what the server serves and where it logs.</summary>
internal sealed class ServerOptions
{
    public const string SectionName = "Davit";

    /// <summary>The folder served by the file-system store; relative paths start at the current directory.</summary>
    public string Root { get; set; } = "data";

    /// <summary>The URL path the store is mounted at ("/" or "/dav").</summary>
    public string Prefix { get; set; } = "/";

    /// <summary>
    /// A file that receives every log line as well as the console (appended to), or null or blank for the console
    /// only. Relative paths start at the current directory.
    /// </summary>
    public string? LogFile { get; set; }

    /// <summary>"filesystem" (the default) or "memory".</summary>
    public string Store { get; set; } = StoreKinds.FileSystem;

    /// <summary>The command-line switches and the configuration keys they set.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--root"] = SectionName + ":" + nameof(Root),
        ["--prefix"] = SectionName + ":" + nameof(Prefix),
        ["--log-file"] = SectionName + ":" + nameof(LogFile),
        ["--store"] = SectionName + ":" + nameof(Store),
    };

    /// <summary>Every problem with these options, phrased for an operator; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Root))
        {
            errors.Add("The root folder is empty: give one with --root <folder> or Davit:Root in appsettings.json.");
        }

        if (string.IsNullOrWhiteSpace(Prefix) || !Prefix.StartsWith('/') || Prefix.Contains("//", StringComparison.Ordinal)
            || Prefix.AsSpan().IndexOfAny("?#\\ ") >= 0)
        {
            errors.Add($"The prefix '{Prefix}' is not a URL path: use \"/\" or a path such as \"/dav\" (--prefix, Davit:Prefix).");
        }

        if (!StoreKinds.IsKnown(Store))
        {
            errors.Add($"Unknown store '{Store}': use --store {StoreKinds.FileSystem} or --store {StoreKinds.Memory} (Davit:Store).");
        }

        return errors;
    }
}

/// <summary>The stores the server can run with.</summary>
internal static class StoreKinds
{
    public const string FileSystem = "filesystem";
    public const string Memory = "memory";

    public static bool IsKnown(string? value) => IsFileSystem(value) || IsMemory(value);

    public static bool IsFileSystem(string? value) => string.Equals(value, FileSystem, StringComparison.OrdinalIgnoreCase);

    public static bool IsMemory(string? value) => string.Equals(value, Memory, StringComparison.OrdinalIgnoreCase);
}
