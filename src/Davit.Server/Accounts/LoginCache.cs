using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Davit.Server.Accounts;

/// <summary>
/// Remembers, for a short time, that a user name and password were verified, so that a client (which sends them
/// with every Basic request) does not pay the password hash's cost on every request. Keyed by an HMAC-SHA256 of
/// the name and password under a random key made when the process starts: the password is never kept, and the
/// key never leaves the process. An entry counts only while the user's hash in the users file is the one it was
/// verified against, so a new password, a removed user or a reloaded file ends it at once.
/// </summary>
internal sealed class LoginCache(TimeProvider time)
{
    /// <summary>How long a verification is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private const int MaxEntries = 10_000;

    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public bool IsVerified(string name, string password, string currentHash) =>
        entries.TryGetValue(Key(name, password), out var entry)
        && entry.ExpiresUtc > time.GetUtcNow()
        && string.Equals(entry.Hash, currentHash, StringComparison.Ordinal);

    public void Remember(string name, string password, string hash)
    {
        var now = time.GetUtcNow();
        if (entries.Count >= MaxEntries)
        {
            foreach (var (k, e) in entries)
            {
                if (e.ExpiresUtc <= now)
                {
                    entries.TryRemove(k, out _);
                }
            }

            if (entries.Count >= MaxEntries)
            {
                entries.Clear();
            }
        }

        entries[Key(name, password)] = new Entry(hash, now + Lifetime);
    }

    private string Key(string name, string password)
    {
        // The name's length first, so that no two (name, password) pairs give the same input.
        var input = Encoding.UTF8.GetBytes($"{name.Length}:{name}:{password}");
        try
        {
            return Convert.ToBase64String(HMACSHA256.HashData(key, input));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    private sealed record Entry(string Hash, DateTimeOffset ExpiresUtc);
}
