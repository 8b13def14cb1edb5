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

    /// <summary>"filesystem" (the default), "memory" or "postgres".</summary>
    public string Store { get; set; } = StoreKinds.FileSystem;

    /// <summary>The Npgsql connection string of the PostgreSQL store's database (with <c>--store postgres</c>).
    /// Pool size and command timeout may be set here ("Maximum Pool Size", "Command Timeout") or in the
    /// Davit:PostgreSql section.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>With <c>--store postgres</c>: the folder where this server keeps copies of file contents it served, so
    /// that the next GET of the same version reads the local disk instead of the database; "off" for none; null or
    /// blank (the default) for <see cref="DefaultContentCache"/>.</summary>
    public string? ContentCache { get; set; }

    /// <summary>The most bytes <see cref="ContentCache"/> holds: "1GiB" (the default), "500MB", "1048576".</summary>
    public string ContentCacheSize { get; set; } = "1GiB";

    /// <summary>The users file (see <c>users add</c>); null or blank for none, which lets anyone do anything.
    /// Relative paths start at the current directory.</summary>
    public string? UsersFile { get; set; }

    /// <summary>With a users file: let requests without credentials read (never write).</summary>
    public bool AnonymousRead { get; set; }

    /// <summary>Accept Basic authentication over plain HTTP from other machines, not only from loopback.</summary>
    public bool AllowBasicOverHttp { get; set; }

    /// <summary>The realm of the Basic challenge, shown by clients when they ask for a password.</summary>
    public string Realm { get; set; } = "Davit";

    /// <summary>Failed logins allowed per client address and per user name within <see cref="FailedLoginWindow"/>.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>The window of <see cref="MaxFailedLogins"/>.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The HTTPS certificate: a PEM file (with the key in it or in <see cref="CertificateKey"/>) or a
    /// PFX/PKCS#12 file (.pfx, .p12). Null for Kestrel's default (the development certificate).</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of <see cref="Certificate"/>, when it is in a file of its own.</summary>
    public string? CertificateKey { get; set; }

    /// <summary>The password of a PFX file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Quotas on folders of the store (RFC 4331), whoever writes there; a user's own quota is in the users
    /// file, on their home folder.</summary>
    public List<FolderQuotaOptions> Quotas { get; set; } = [];

    /// <summary>The command-line switches and the configuration keys they set.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--root"] = SectionName + ":" + nameof(Root),
        ["--prefix"] = SectionName + ":" + nameof(Prefix),
        ["--log-file"] = SectionName + ":" + nameof(LogFile),
        ["--store"] = SectionName + ":" + nameof(Store),
        ["--connection-string"] = SectionName + ":" + nameof(ConnectionString),
        ["--content-cache"] = SectionName + ":" + nameof(ContentCache),
        ["--content-cache-size"] = SectionName + ":" + nameof(ContentCacheSize),
        ["--users"] = SectionName + ":" + nameof(UsersFile),
        ["--anonymous-read"] = SectionName + ":" + nameof(AnonymousRead),
        ["--allow-basic-over-http"] = SectionName + ":" + nameof(AllowBasicOverHttp),
        ["--realm"] = SectionName + ":" + nameof(Realm),
        ["--cert"] = SectionName + ":" + nameof(Certificate),
        ["--cert-key"] = SectionName + ":" + nameof(CertificateKey),
        ["--cert-password"] = SectionName + ":" + nameof(CertificatePassword),
    };

    /// <summary>Every problem with these options, phrased for an operator; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Root) && !StoreKinds.IsPostgres(Store))
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
            errors.Add($"Unknown store '{Store}': use --store {StoreKinds.FileSystem}, {StoreKinds.Memory} or {StoreKinds.Postgres} (Davit:Store).");
        }

        if (StoreKinds.IsPostgres(Store) && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("The PostgreSQL store needs a connection string: --connection-string \"Host=...;Database=...;Username=...\" or Davit:ConnectionString (environment: Davit__ConnectionString).");
        }

        if (!ByteSize.TryParse(ContentCacheSize, out _))
        {
            errors.Add($"The content cache size '{ContentCacheSize}' is not a size such as 500MB or 1GiB (--content-cache-size, Davit:ContentCacheSize).");
        }

        var hasUsers = !string.IsNullOrWhiteSpace(UsersFile);
        if (AnonymousRead && !hasUsers)
        {
            errors.Add("AnonymousRead needs a users file (--users <file>); without one, everyone may read and write already.");
        }

        if (string.IsNullOrWhiteSpace(Realm) || Realm.Length > 100 || Realm.AsSpan().IndexOfAny("\"\\") >= 0 || Realm.Any(char.IsControl))
        {
            errors.Add($"The realm '{Realm}' is not usable: give 1 to 100 characters without quotes or backslashes (--realm, Davit:Realm).");
        }

        if (MaxFailedLogins < 1)
        {
            errors.Add("MaxFailedLogins must be at least 1 (Davit:MaxFailedLogins).");
        }

        if (FailedLoginWindow <= TimeSpan.Zero)
        {
            errors.Add("FailedLoginWindow must be positive, e.g. 00:05:00 (Davit:FailedLoginWindow).");
        }

        if (string.IsNullOrWhiteSpace(Certificate) && (!string.IsNullOrWhiteSpace(CertificateKey) || !string.IsNullOrWhiteSpace(CertificatePassword)))
        {
            errors.Add("A certificate key or password is set without a certificate: give the certificate with --cert <file>.");
        }

        foreach (var quota in Quotas)
        {
            if (!Accounts.UsersFile.TryParsePath(quota.Path, out _))
            {
                errors.Add($"The quota path '{quota.Path}' is not a folder path such as /shared (Davit:Quotas).");
            }

            if (!ByteSize.TryParse(quota.Size, out _))
            {
                errors.Add($"The quota size '{quota.Size}' of '{quota.Path}' is not a size such as 500MB or 10GiB (Davit:Quotas).");
            }
        }

        return errors;
    }

    /// <summary>The PostgreSQL store's content cache (call after <see cref="Validate"/>), or null when it is off.</summary>
    public Davit.PostgreSql.ContentCacheOptions? ContentCacheOptions()
    {
        var folder = string.IsNullOrWhiteSpace(ContentCache) ? DefaultContentCache() : ContentCache.Trim();
        if (folder is null || string.Equals(folder, "off", StringComparison.OrdinalIgnoreCase) || !ByteSize.TryParse(ContentCacheSize, out var size) || size == 0)
        {
            return null;
        }

        return new Davit.PostgreSql.ContentCacheOptions { Directory = Path.GetFullPath(folder), MaxBytes = size };
    }

    /// <summary>The user's cache folder ($XDG_CACHE_HOME, else ~/.cache; on Windows the local application data) +
    /// davit/content-cache; null when the user has no home.</summary>
    public static string? DefaultContentCache()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var baseFolder = OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg) ? xdg
            : string.IsNullOrWhiteSpace(home) ? null : Path.Combine(home, ".cache");
        return string.IsNullOrWhiteSpace(baseFolder) ? null : Path.Combine(baseFolder, "davit", "content-cache");
    }

    /// <summary>The folder quotas, parsed (call after <see cref="Validate"/> found no problem).</summary>
    public IReadOnlyList<global::Davit.Quotas.DavQuota> FolderQuotas() =>
        [.. Quotas.Select(q => Accounts.UsersFile.TryParsePath(q.Path, out var path) && ByteSize.TryParse(q.Size, out var bytes)
            ? new global::Davit.Quotas.DavQuota(path, bytes)
            : throw new InvalidOperationException($"Quota '{q.Path}' was not validated."))];
}

/// <summary>One entry of Davit:Quotas.</summary>
internal sealed class FolderQuotaOptions
{
    /// <summary>The folder, from the store's root ("/shared").</summary>
    public string? Path { get; set; }

    /// <summary>The most bytes it may hold, with everything below it: "500MB", "10GiB", "1048576".</summary>
    public string? Size { get; set; }
}

/// <summary>The stores the server can run with.</summary>
internal static class StoreKinds
{
    public const string FileSystem = "filesystem";
    public const string Memory = "memory";
    public const string Postgres = "postgres";

    public static bool IsKnown(string? value) => IsFileSystem(value) || IsMemory(value) || IsPostgres(value);

    public static bool IsPostgres(string? value) => string.Equals(value, Postgres, StringComparison.OrdinalIgnoreCase);

    public static bool IsFileSystem(string? value) => string.Equals(value, FileSystem, StringComparison.OrdinalIgnoreCase);

    public static bool IsMemory(string? value) => string.Equals(value, Memory, StringComparison.OrdinalIgnoreCase);
}
