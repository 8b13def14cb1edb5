using System.Net;
using Davit.Conformance;
using Davit.Server.Accounts;
using Davit.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Davit.Server.Tests.Accounts;

/// <summary>The login throttle, the verification cache and the equal treatment of unknown users (fake clock).</summary>
public sealed class LoginThrottleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_Name_Is_Throttled_After_Five_Failures_And_Released_When_They_Age_Out()
    {
        var clock = new ManualTimeProvider();
        var throttle = new LoginThrottle(5, Window, clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.False(throttle.IsThrottled($"10.0.0.{i}", "alice", out _));
            throttle.RecordFailure($"10.0.0.{i}", "alice");
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        // From a fresh address too: the name is throttled.
        Assert.True(throttle.IsThrottled("10.0.0.99", "alice", out var wait));
        Assert.Equal(Window - TimeSpan.FromSeconds(50), wait);
        Assert.False(throttle.IsThrottled("10.0.0.99", "bob", out _));

        clock.Advance(wait - TimeSpan.FromSeconds(1));
        Assert.True(throttle.IsThrottled("10.0.0.99", "alice", out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.IsThrottled("10.0.0.99", "alice", out _));
    }

    [Fact]
    public void An_Address_Is_Throttled_After_Five_Failures_Whatever_The_Names()
    {
        var clock = new ManualTimeProvider();
        var throttle = new LoginThrottle(5, Window, clock);
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure("192.0.2.7", $"user{i}");
        }

        Assert.True(throttle.IsThrottled("192.0.2.7", "someone-else", out _));
        Assert.False(throttle.IsThrottled("192.0.2.8", "someone-else", out _));
        clock.Advance(Window);
        Assert.False(throttle.IsThrottled("192.0.2.7", "someone-else", out _));
    }

    [Fact]
    public void Logins_Verify_Once_Then_Use_The_Cache_Until_The_Hash_Changes_Or_Time_Passes()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("users.json");
        UsersFile.Write(file, [new UserAccount("alice", PasswordVerifier.Hash("right"), AccountAccess.ReadWrite, DavPath.Root, [])]);
        var clock = new ManualTimeProvider();
        var users = UserDirectory.Open(file, clock, NullLogger.Instance);
        var throttle = new LoginThrottle(5, Window, clock);
        var verifier = new PasswordVerifier();
        var logins = new Logins(users, new LoginCache(clock), throttle, verifier, NullLogger<Logins>.Instance);
        var address = IPAddress.Parse("198.51.100.1");

        Assert.Equal(LoginOutcome.Success, logins.Verify("alice", "right", address).Outcome);

        // Now fail five times: the name is throttled, yet the client that proved the password goes on.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(LoginOutcome.Failed, logins.Verify("alice", "wrong", IPAddress.Parse($"203.0.113.{i}")).Outcome);
        }

        Assert.Equal(LoginOutcome.Throttled, logins.Verify("alice", "wrong", address).Outcome);
        var verified = verifier.Verifications;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(LoginOutcome.Success, logins.Verify("alice", "right", address).Outcome);
        }

        Assert.Equal(verified, verifier.Verifications);

        // Past the cache's lifetime, the password is verified again, so the throttle applies.
        clock.Advance(LoginCache.Lifetime);
        Assert.Equal(LoginOutcome.Throttled, logins.Verify("alice", "right", address).Outcome);
        clock.Advance(Window);
        Assert.Equal(LoginOutcome.Success, logins.Verify("alice", "right", address).Outcome);

        // A new password in the file ends the cached one at once (the file is looked at once a second).
        UsersFile.Write(file, [new UserAccount("alice", PasswordVerifier.Hash("newer"), AccountAccess.ReadWrite, DavPath.Root, [])]);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LoginOutcome.Failed, logins.Verify("alice", "right", address).Outcome);
        Assert.Equal(LoginOutcome.Success, logins.Verify("alice", "newer", address).Outcome);
    }

    [Fact]
    public void Unknown_Users_And_Wrong_Passwords_Cost_The_Same_Work()
    {
        // The time is not measured here (the test machine is shared, and a timing would say little); the work is:
        // an unknown user's password is hashed like a wrong one, with the same function, iterations and salt length.
        var verifier = new PasswordVerifier();
        var hash = PasswordVerifier.Hash("right");

        Assert.False(verifier.Verify(null, "guess"));
        Assert.Equal(1, verifier.Verifications);
        Assert.False(verifier.Verify(hash, "guess"));
        Assert.Equal(2, verifier.Verifications);
        Assert.Equal(Parameters(hash), Parameters(verifier.DummyHash));
        Assert.Equal(100_000, Parameters(hash).Iterations);
    }

    // The fixed header of ASP.NET Core Identity's version 3 hash: format marker, PRF, iteration count, salt length.
    private static (byte Format, uint Prf, int Iterations, uint SaltLength) Parameters(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        return (bytes[0], System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)),
            (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9)));
    }
}
