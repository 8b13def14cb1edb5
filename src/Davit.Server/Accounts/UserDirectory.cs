using System.Collections.Frozen;

namespace Davit.Server.Accounts;

/// <summary>
/// The users of the users file, reloaded when the file changes: at most once a second, a request looks at the
/// file's modification time and length, and a changed file is read again. A file that cannot be read or is not
/// valid keeps the previous users in force (and says so in the log); the server never falls back to no users.
/// Thread safe.
/// </summary>
internal sealed class UserDirectory
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string path;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private volatile Snapshot current;
    private long lastCheckTicks; // UTC ticks; read without the lock, so kept in one word

    private UserDirectory(string path, TimeProvider time, ILogger logger, Snapshot snapshot)
    {
        this.path = path;
        this.time = time;
        this.logger = logger;
        current = snapshot;
        lastCheckTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>The users file's full path.</summary>
    public string FilePath => path;

    /// <summary>How many times the file has been loaded; a new value means the users may have changed.</summary>
    public long Generation => Current.Generation;

    /// <summary>Reads the file once; throws <see cref="UsersFileException"/> when it cannot be used, so that the
    /// server does not start with a broken one.</summary>
    public static UserDirectory Open(string path, TimeProvider time, ILogger logger)
    {
        var stamp = Stamp(path);
        var accounts = UsersFile.Read(path);
        return new UserDirectory(path, time, logger, new Snapshot(accounts.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal), stamp, 1));
    }

    /// <summary>The number of users now in force.</summary>
    public int Count => Current.Users.Count;

    /// <summary>Every user now in force.</summary>
    public IEnumerable<UserAccount> All => Current.Users.Values;

    /// <summary>The user named <paramref name="name"/> (exactly), or null.</summary>
    public UserAccount? Find(string name) => Current.Users.GetValueOrDefault(name);

    private Snapshot Current
    {
        get
        {
            var now = time.GetUtcNow().UtcTicks;
            if (IsDue(now, Volatile.Read(ref lastCheckTicks)))
            {
                Refresh(now);
            }

            return current;
        }
    }

    private static bool IsDue(long now, long last) => now - last >= CheckInterval.Ticks || now < last;

    private void Refresh(long now)
    {
        lock (gate)
        {
            if (!IsDue(now, lastCheckTicks))
            {
                return;
            }

            Volatile.Write(ref lastCheckTicks, now);
            var snapshot = current;
            var stamp = Stamp(path);
            if (stamp == snapshot.Stamp)
            {
                return;
            }

            try
            {
                var accounts = UsersFile.Read(path);
                current = new Snapshot(accounts.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal), stamp, snapshot.Generation + 1);
                Log.UsersFileReloaded(logger, path, accounts.Count);
            }
            catch (UsersFileException e)
            {
                // Remember the stamp, so a broken file is reported once, not on every request.
                current = snapshot with { Stamp = stamp };
                Log.UsersFileReloadFailed(logger, path, e.Message);
            }
        }
    }

    // The users command writes a new file and renames it over the old one, so its creation time changes too.
    private static (DateTime Modified, DateTime Created, long Length) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.CreationTimeUtc, info.Length) : (DateTime.MinValue, DateTime.MinValue, -1);
    }

    private sealed record Snapshot(FrozenDictionary<string, UserAccount> Users, (DateTime Modified, DateTime Created, long Length) Stamp, long Generation);
}
