using Davit.Storage;

namespace Davit.Server.Accounts;

/// <summary>
/// <c>Davit.Server users ...</c>: manages the users file without an editor. Passwords are read from a prompt that
/// does not echo, or from the first line of standard input with <c>--password-stdin</c>; only their hashes are
/// written. The running server picks the changes up within a second.
/// </summary>
internal sealed class UsersCommand
{
    public const string Usage = """
        Usage: Davit.Server users <command> [options]

          add <name>     add a user (asks for the password)
          passwd <name>  set a user's password
          set <name>     change a user's access, home folder, quota or rules
          remove <name>  remove a user
          list           list the users (never their passwords)

        Options:
          --users <file>        the users file (default: Davit:UsersFile from the configuration, else ./users.json)
          --password-stdin      read the password from the first line of standard input instead of a prompt
          --read-only           the user may only read (add, set)
          --read-write          the user may read and write (the default for add)
          --home <folder>       confine the user to this folder of the store, seen as their root (add, set)
          --no-home             the user sees the whole store (set)
          --quota <size>        the most bytes the user's home folder may hold: 500MB, 10GiB, 1048576 (add, set)
          --no-quota            remove the user's quota (set)
          --allow-read <path>   allow reading at <path> and below; likewise --deny-read, --allow-write and
          --deny-write <path>   --deny-write. Paths are as the user sees them (from the home folder). (add, set)
          --clear-rules         remove the user's rules before adding the ones given (set)
        """;

    private readonly TextReader input;
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly Func<string, string?> prompt;

    /// <param name="input">Standard input, for --password-stdin.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where problems go.</param>
    /// <param name="prompt">Asks for a secret without echo; returns null when there is no terminal.</param>
    public UsersCommand(TextReader input, TextWriter output, TextWriter error, Func<string, string?> prompt)
    {
        this.input = input;
        this.output = output;
        this.error = error;
        this.prompt = prompt;
    }

    /// <summary>Runs the command; returns the process exit code (0 done, 1 failed, 2 bad usage).</summary>
    public int Run(IReadOnlyList<string> args, string? configuredUsersFile)
    {
        if (!Arguments.TryParse(args, out var parsed, out var problem))
        {
            error.WriteLine($"Davit: {problem}");
            error.WriteLine(Usage);
            return 2;
        }

        var file = Path.GetFullPath(parsed.UsersFile ?? (string.IsNullOrWhiteSpace(configuredUsersFile) ? "users.json" : configuredUsersFile));
        try
        {
            return parsed.Verb switch
            {
                "add" => Add(file, parsed),
                "passwd" => Passwd(file, parsed),
                "set" => Set(file, parsed),
                "remove" => Remove(file, parsed),
                _ => List(file),
            };
        }
        catch (UsersFileException e)
        {
            error.WriteLine($"Davit: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Davit: cannot write the users file {file}: {e.Message}");
            return 1;
        }
    }

    private int Add(string file, Arguments args)
    {
        var accounts = File.Exists(file) ? UsersFile.Read(file).ToList() : [];
        if (accounts.Any(a => a.Name == args.Name))
        {
            return Fail($"the user '{args.Name}' exists already in {file}; use 'users passwd' or 'users set'.");
        }

        if (ReadPassword(args) is not { } password)
        {
            return 1;
        }

        var account = new UserAccount(args.Name!, PasswordVerifier.Hash(password), args.Access ?? AccountAccess.ReadWrite, args.Home ?? DavPath.Root, args.Rules, args.Quota);
        if (QuotaWithoutHome(account) is { } problem)
        {
            return Fail(problem);
        }

        accounts.Add(account);
        UsersFile.Write(file, accounts);
        output.WriteLine($"Added {Describe(account)} to {file}.");
        output.WriteLine($"Start the server with --users {file} (a running one picks the change up by itself).");
        return 0;
    }

    private int Passwd(string file, Arguments args) => Change(file, args, account =>
        ReadPassword(args) is { } password ? account with { PasswordHash = PasswordVerifier.Hash(password) } : null, "Changed the password of");

    private int Set(string file, Arguments args) => Change(file, args, account => account with
    {
        Access = args.Access ?? account.Access,
        Home = args.Home ?? account.Home,
        Rules = args.ClearRules ? args.Rules : [.. account.Rules, .. args.Rules],
        QuotaBytes = args.NoQuota ? null : args.Quota ?? account.QuotaBytes,
    }, "Updated");

    private static string? QuotaWithoutHome(UserAccount account) =>
        account.QuotaBytes is not null && account.Home.IsRoot
            ? $"a quota is kept on the user's home folder, and '{account.Name}' has none: add --home <folder>."
            : null;

    private int Change(string file, Arguments args, Func<UserAccount, UserAccount?> change, string done)
    {
        var accounts = ReadExisting(file);
        var index = accounts.FindIndex(a => a.Name == args.Name);
        if (index < 0)
        {
            return Fail($"there is no user '{args.Name}' in {file}.");
        }

        if (change(accounts[index]) is not { } changed)
        {
            return 1;
        }

        if (QuotaWithoutHome(changed) is { } problem)
        {
            return Fail(problem);
        }

        accounts[index] = changed;
        UsersFile.Write(file, accounts);
        output.WriteLine($"{done} {Describe(changed)}.");
        return 0;
    }

    private int Remove(string file, Arguments args)
    {
        var accounts = ReadExisting(file);
        if (accounts.RemoveAll(a => a.Name == args.Name) == 0)
        {
            return Fail($"there is no user '{args.Name}' in {file}.");
        }

        UsersFile.Write(file, accounts);
        output.WriteLine($"Removed {args.Name} from {file}.");
        return 0;
    }

    private int List(string file)
    {
        var accounts = ReadExisting(file);
        if (accounts.Count == 0)
        {
            output.WriteLine($"No users in {file}.");
        }

        foreach (var account in accounts)
        {
            output.WriteLine(Describe(account));
        }

        return 0;
    }

    private static List<UserAccount> ReadExisting(string file) =>
        File.Exists(file) ? [.. UsersFile.Read(file)] : throw new UsersFileException($"there is no users file at {file}; create it with 'users add <name>'.");

    private static string Describe(UserAccount account)
    {
        var text = $"{account.Name}: {(account.Access == AccountAccess.ReadOnly ? UsersFile.ReadOnly : UsersFile.ReadWrite)}";
        if (!account.Home.IsRoot)
        {
            text += $", home /{account.Home}";
        }

        if (account.QuotaBytes is { } quota)
        {
            text += $", quota {quota.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes";
        }

        foreach (var rule in account.Rules)
        {
            if (rule.Read is { } read)
            {
                text += $", {(read ? "allow" : "deny")} read /{rule.Path}";
            }

            if (rule.Write is { } write)
            {
                text += $", {(write ? "allow" : "deny")} write /{rule.Path}";
            }
        }

        return text;
    }

    private string? ReadPassword(Arguments args)
    {
        string? password;
        if (args.PasswordFromStdin)
        {
            password = input.ReadLine();
        }
        else
        {
            password = prompt($"Password for {args.Name}: ");
            if (password is null)
            {
                Fail("there is no terminal to ask for the password; pipe it in with --password-stdin.");
                return null;
            }

            if (prompt("Repeat it: ") != password)
            {
                Fail("the two passwords differ; nothing was changed.");
                return null;
            }
        }

        if (string.IsNullOrEmpty(password))
        {
            Fail("the password is empty; nothing was changed.");
            return null;
        }

        return password;
    }

    private int Fail(string message)
    {
        error.WriteLine($"Davit: {message}");
        return 1;
    }

    /// <summary>Reads a secret from the console without echoing it; null when standard input is not a terminal.</summary>
    public static string? PromptWithoutEcho(string label)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        Console.Error.Write(label);
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }

    private sealed class Arguments
    {
        public string Verb { get; private set; } = "list";

        public string? Name { get; private set; }

        public string? UsersFile { get; private set; }

        public bool PasswordFromStdin { get; private set; }

        public AccountAccess? Access { get; private set; }

        public DavPath? Home { get; private set; }

        public bool ClearRules { get; private set; }

        public long? Quota { get; private set; }

        public bool NoQuota { get; private set; }

        public List<PathRule> Rules { get; } = [];

        public static bool TryParse(IReadOnlyList<string> args, out Arguments parsed, out string problem)
        {
            parsed = new Arguments();
            problem = string.Empty;
            if (args.Count == 0 || args[0] is not ("add" or "passwd" or "set" or "remove" or "list"))
            {
                problem = args.Count == 0 ? "which users command?" : $"unknown users command '{args[0]}'.";
                return false;
            }

            parsed.Verb = args[0];
            var i = 1;
            if (parsed.Verb != "list")
            {
                if (args.Count < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
                {
                    problem = $"'users {parsed.Verb}' needs a user name.";
                    return false;
                }

                if (!Accounts.UsersFile.IsValidName(args[1]))
                {
                    problem = $"'{args[1]}' is not a valid user name (1 to 64 characters, no ':', no control characters).";
                    return false;
                }

                parsed.Name = args[1];
                i = 2;
            }

            for (; i < args.Count; i++)
            {
                var option = args[i];
                string? Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
                switch (option)
                {
                    case "--users" when Value() is { } file:
                        parsed.UsersFile = file;
                        break;
                    case "--password-stdin" when parsed.Verb is "add" or "passwd":
                        parsed.PasswordFromStdin = true;
                        break;
                    case "--read-only" when parsed.Verb is "add" or "set":
                        parsed.Access = AccountAccess.ReadOnly;
                        break;
                    case "--read-write" when parsed.Verb is "add" or "set":
                        parsed.Access = AccountAccess.ReadWrite;
                        break;
                    case "--no-home" when parsed.Verb is "set":
                        parsed.Home = DavPath.Root;
                        break;
                    case "--no-quota" when parsed.Verb is "set":
                        parsed.NoQuota = true;
                        break;
                    case "--quota" when parsed.Verb is "add" or "set":
                        if (!ByteSize.TryParse(Value(), out var quota))
                        {
                            problem = "--quota needs a size such as 500MB, 10GiB or 1048576 (bytes).";
                            return false;
                        }

                        parsed.Quota = quota;
                        break;
                    case "--clear-rules" when parsed.Verb is "set":
                        parsed.ClearRules = true;
                        break;
                    case "--home" when parsed.Verb is "add" or "set":
                        if (!Accounts.UsersFile.TryParsePath(Value(), out var home) || home.IsRoot)
                        {
                            problem = "--home needs a folder path such as alice or /teams/alice (no '..').";
                            return false;
                        }

                        parsed.Home = home;
                        break;
                    case ("--allow-read" or "--deny-read" or "--allow-write" or "--deny-write") when parsed.Verb is "add" or "set":
                        if (!Accounts.UsersFile.TryParsePath(Value(), out var path))
                        {
                            problem = $"{option} needs a path such as /archive (no '..').";
                            return false;
                        }

                        var allow = option.StartsWith("--allow", StringComparison.Ordinal);
                        parsed.Rules.Add(option.EndsWith("read", StringComparison.Ordinal) ? new PathRule(path, allow, null) : new PathRule(path, null, allow));
                        break;
                    default:
                        problem = $"'{option}' is not an option of 'users {parsed.Verb}' (or its value is missing).";
                        return false;
                }
            }

            return true;
        }
    }
}
