using System.Text.Json;
using System.Text.Json.Serialization;
using Davit.Storage;

namespace Davit.Server.Accounts;

/// <summary>
/// The users file: JSON, one entry per user with a salted password hash (never the password), the access, an
/// optional home folder and optional path rules. Read and written whole; written atomically (a new file renamed
/// over the old one), readable by its owner only.
/// </summary>
/// <example>
/// <code>
/// {
///   "users": [
///     { "name": "alice", "passwordHash": "AQAAAAIAAYag...", "access": "read-write", "home": "alice",
///       "rules": [ { "path": "/archive", "write": "deny" } ] }
///   ]
/// }
/// </code>
/// </example>
internal static class UsersFile
{
    public const string ReadOnly = "read-only";
    public const string ReadWrite = "read-write";
    public const string Allow = "allow";
    public const string Deny = "deny";

    // Hashes are base64: '+' and '/' are kept as they are (the file is never embedded in HTML).
    private static readonly UsersJson WriteContext = new(new JsonSerializerOptions(UsersJson.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Reads and validates the file. Throws <see cref="UsersFileException"/> with a message for an operator.</summary>
    public static IReadOnlyList<UserAccount> Read(string path)
    {
        UsersDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize(stream, UsersJson.Default.UsersDocument);
        }
        catch (JsonException e)
        {
            throw new UsersFileException($"{path} is not a valid users file: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsersFileException($"cannot read the users file {path}: {e.Message}");
        }

        var accounts = new List<UserAccount>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in document?.Users ?? [])
        {
            var account = ToAccount(entry, path);
            if (!names.Add(account.Name))
            {
                throw new UsersFileException($"{path}: the user '{account.Name}' is there twice.");
            }

            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>Writes <paramref name="accounts"/> to <paramref name="path"/>: a new file, readable only by its owner,
    /// flushed and renamed over the old one, so a reader (the running server) never sees half a file.</summary>
    public static void Write(string path, IEnumerable<UserAccount> accounts)
    {
        var document = new UsersDocument { Users = [.. accounts.Select(ToEntry)] };
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, document, WriteContext.UsersDocument);
                stream.Write("\n"u8);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>True when <paramref name="name"/> can be a user name: 1 to 64 characters, no ':' (Basic
    /// authentication splits on the first one), no control characters, no leading or trailing space.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.Trim() == name
        && !name.Contains(':', StringComparison.Ordinal) && !name.Any(char.IsControl);

    /// <summary>Parses a folder path as an operator writes it ("alice", "/teams/alice/"); false for "..", "." and
    /// backslashes.</summary>
    public static bool TryParsePath(string? value, out DavPath path)
    {
        path = DavPath.Root;
        return value is not null && !value.Contains('\\', StringComparison.Ordinal) && DavPath.TryParse(value, out path);
    }

    private static UserAccount ToAccount(UserEntry entry, string file)
    {
        if (!IsValidName(entry.Name))
        {
            throw new UsersFileException($"{file}: '{entry.Name}' is not a valid user name (1 to 64 characters, no ':').");
        }

        var where = $"{file}, user '{entry.Name}'";
        if (string.IsNullOrWhiteSpace(entry.PasswordHash) || !IsBase64(entry.PasswordHash))
        {
            throw new UsersFileException($"{where}: passwordHash is missing or not a hash; set it with 'users passwd {entry.Name}'.");
        }

        var access = entry.Access switch
        {
            null or ReadWrite => AccountAccess.ReadWrite,
            ReadOnly => AccountAccess.ReadOnly,
            _ => throw new UsersFileException($"{where}: access must be \"{ReadOnly}\" or \"{ReadWrite}\", not \"{entry.Access}\"."),
        };
        var home = DavPath.Root;
        if (entry.Home is not null && !TryParsePath(entry.Home, out home))
        {
            throw new UsersFileException($"{where}: home \"{entry.Home}\" is not a folder path.");
        }

        var rules = new List<PathRule>();
        foreach (var rule in entry.Rules ?? [])
        {
            if (!TryParsePath(rule.Path, out var rulePath))
            {
                throw new UsersFileException($"{where}: the rule path \"{rule.Path}\" is not a path.");
            }

            var read = Decision(rule.Read, where);
            var write = Decision(rule.Write, where);
            if (read is null && write is null)
            {
                throw new UsersFileException($"{where}: the rule for \"{rule.Path}\" says neither read nor write.");
            }

            rules.Add(new PathRule(rulePath, read, write));
        }

        long? quota = null;
        if (entry.Quota is not null)
        {
            if (!ByteSize.TryParse(entry.Quota, out var bytes))
            {
                throw new UsersFileException($"{where}: quota \"{entry.Quota}\" is not a size such as \"500 MB\" or \"10 GiB\".");
            }

            if (home.IsRoot)
            {
                throw new UsersFileException($"{where}: a quota is kept on the user's home folder, and the user has none; give one with 'users set {entry.Name} --home <folder>'.");
            }

            quota = bytes;
        }

        return new UserAccount(entry.Name!, entry.PasswordHash, access, home, rules, quota);
    }

    private static bool? Decision(string? value, string where) => value switch
    {
        null => null,
        Allow => true,
        Deny => false,
        _ => throw new UsersFileException($"{where}: a rule's read or write must be \"{Allow}\" or \"{Deny}\", not \"{value}\"."),
    };

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out _);

    private static UserEntry ToEntry(UserAccount account) => new()
    {
        Name = account.Name,
        PasswordHash = account.PasswordHash,
        Access = account.Access == AccountAccess.ReadOnly ? ReadOnly : ReadWrite,
        Home = account.Home.IsRoot ? null : account.Home.ToString(),
        Quota = account.QuotaBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Rules = account.Rules.Count == 0 ? null : [.. account.Rules.Select(r => new RuleEntry
        {
            Path = "/" + r.Path,
            Read = r.Read is { } read ? (read ? Allow : Deny) : null,
            Write = r.Write is { } write ? (write ? Allow : Deny) : null,
        })],
    };
}

/// <summary>A users file that cannot be used, with a message for an operator.</summary>
internal sealed class UsersFileException(string message) : Exception(message);

internal sealed class UsersDocument
{
    public List<UserEntry>? Users { get; set; }
}

internal sealed class UserEntry
{
    public string? Name { get; set; }

    public string? PasswordHash { get; set; }

    public string? Access { get; set; }

    public string? Home { get; set; }

    public string? Quota { get; set; }

    public List<RuleEntry>? Rules { get; set; }
}

internal sealed class RuleEntry
{
    public string? Path { get; set; }

    public string? Read { get; set; }

    public string? Write { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    PropertyNameCaseInsensitive = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(UsersDocument))]
internal sealed partial class UsersJson : JsonSerializerContext;
