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

    /// <summary>The command-line switches and the configuration keys they set.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--root"] = SectionName + ":" + nameof(Root),
        ["--prefix"] = SectionName + ":" + nameof(Prefix),
        ["--log-file"] = SectionName + ":" + nameof(LogFile),
        ["--store"] = SectionName + ":" + nameof(Store),
        ["--connection-string"] = SectionName + ":" + nameof(ConnectionString),
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

        return errors;
    }
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
