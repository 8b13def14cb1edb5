namespace Davit.Server.Accounts;

/// <summary>
/// Slows down password guessing: a client address, or a user name, that has failed <see cref="MaxFailures"/>
/// logins within <see cref="Window"/> may not try again until the oldest of those failures is older than the
/// window. Attempts refused this way are not verified and do not count. Keyed separately by address and by name,
/// so neither many names from one address nor one name from many addresses gets more tries. Thread safe; memory
/// is bounded (keys whose failures have all aged out are dropped).
/// </summary>
internal sealed class LoginThrottle(int maxFailures, TimeSpan window, TimeProvider time)
{
    private const int PruneAbove = 10_000;

    private readonly Dictionary<string, Queue<DateTimeOffset>> failures = new(StringComparer.Ordinal);

    public int MaxFailures => maxFailures;

    public TimeSpan Window => window;

    /// <summary>True when <paramref name="address"/> or <paramref name="name"/> may not try now;
    /// <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsThrottled(string address, string name, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        lock (failures)
        {
            retryAfter = TimeSpan.Zero;
            foreach (var key in Keys(address, name))
            {
                if (failures.TryGetValue(key, out var times) && Trim(times, now) >= maxFailures)
                {
                    var wait = times.Peek() + window - now;
                    retryAfter = wait > retryAfter ? wait : retryAfter;
                }
            }

            return retryAfter > TimeSpan.Zero;
        }
    }

    /// <summary>Counts a failed login against both the address and the name.</summary>
    public void RecordFailure(string address, string name)
    {
        var now = time.GetUtcNow();
        lock (failures)
        {
            if (failures.Count > PruneAbove)
            {
                foreach (var (key, times) in failures.ToList())
                {
                    if (Trim(times, now) == 0)
                    {
                        failures.Remove(key);
                    }
                }
            }

            foreach (var key in Keys(address, name))
            {
                if (!failures.TryGetValue(key, out var times))
                {
                    failures[key] = times = new Queue<DateTimeOffset>();
                }

                times.Enqueue(now);
                while (times.Count > maxFailures)
                {
                    times.Dequeue();
                }
            }
        }
    }

    private static string[] Keys(string address, string name) => ["address:" + address, "user:" + name];

    private int Trim(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() + window <= now)
        {
            times.Dequeue();
        }

        return times.Count;
    }
}
