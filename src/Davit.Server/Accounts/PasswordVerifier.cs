using Microsoft.AspNetCore.Identity;

namespace Davit.Server.Accounts;

/// <summary>
/// Hashes and verifies passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2 with
/// HMAC-SHA512, a random 128-bit salt and 100,000 iterations, all recorded in the hash). An unknown user is
/// verified against a dummy hash of the same cost, so that the answer and its time do not tell whether the name
/// exists.
/// </summary>
internal sealed class PasswordVerifier
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object User = new();

    private long verifications;

    private readonly string dummyHash = Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    /// <summary>The hash an unknown user's password is checked against.</summary>
    internal string DummyHash => dummyHash;

    /// <summary>How many hashes this instance has computed to verify a password.</summary>
    public long Verifications => Interlocked.Read(ref verifications);

    public static string Hash(string password) => Hasher.HashPassword(User, password);

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; with a null hash (an
    /// unknown user), false after the same work.</summary>
    public bool Verify(string? hash, string password)
    {
        Interlocked.Increment(ref verifications);
        var matched = Check(hash ?? dummyHash, password);
        return hash is not null && matched;
    }

    private static bool Check(string hash, string password)
    {
        try
        {
            return Hasher.VerifyHashedPassword(User, hash, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
