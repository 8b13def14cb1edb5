using System.Net;

namespace Davit.Server.Accounts;

/// <summary>The outcome of a login.</summary>
internal enum LoginOutcome
{
    Success,

    /// <summary>Unknown user or wrong password: the two are never told apart.</summary>
    Failed,

    /// <summary>Too many failures from the address or for the name; not verified.</summary>
    Throttled,
}

/// <summary>A login's outcome, the user on success, and how long to wait when throttled.</summary>
internal readonly record struct LoginResult(LoginOutcome Outcome, UserAccount? Account, TimeSpan RetryAfter);

/// <summary>
/// Checks a user name and password against the users file: a recently verified pair is accepted from
/// <see cref="LoginCache"/>; otherwise the throttle is asked, then the password hash is verified (against a dummy
/// hash for an unknown name). Failures are logged with the name and the client address, and counted.
/// </summary>
internal sealed class Logins(UserDirectory users, LoginCache cache, LoginThrottle throttle, PasswordVerifier verifier, ILogger<Logins> logger)
{
    public LoginResult Verify(string name, string password, IPAddress? address)
    {
        var account = users.Find(name);

        // A client that proved the password a moment ago is not a guesser: the throttle is for the others.
        if (account is not null && cache.IsVerified(name, password, account.PasswordHash))
        {
            return new LoginResult(LoginOutcome.Success, account, TimeSpan.Zero);
        }

        var where = address?.ToString() ?? "(unknown)";
        if (throttle.IsThrottled(where, name, out var retryAfter))
        {
            Log.LoginThrottled(logger, Printable(name), where, (int)Math.Ceiling(retryAfter.TotalSeconds));
            return new LoginResult(LoginOutcome.Throttled, null, retryAfter);
        }

        if (verifier.Verify(account?.PasswordHash, password) && account is not null)
        {
            cache.Remember(name, password, account.PasswordHash);
            return new LoginResult(LoginOutcome.Success, account, TimeSpan.Zero);
        }

        throttle.RecordFailure(where, name);
        Log.LoginFailed(logger, Printable(name), where);
        return new LoginResult(LoginOutcome.Failed, null, TimeSpan.Zero);
    }

    /// <summary>A name a client sent, safe for a log line: no control characters (no forged lines), at most 64
    /// characters.</summary>
    private static string Printable(string name)
    {
        var clean = string.Create(Math.Min(name.Length, 64), name, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
        return clean.Length < name.Length ? clean + "..." : clean;
    }
}
