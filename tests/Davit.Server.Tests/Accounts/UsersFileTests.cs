using Davit.Server.Accounts;
using Davit.Storage;

namespace Davit.Server.Tests.Accounts;

/// <summary>The users file: what is written, what is refused.</summary>
public sealed class UsersFileTests
{
    [Fact]
    public void Accounts_Round_Trip_And_Only_Hashes_Are_Written()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("users.json");
        var hash = PasswordVerifier.Hash("correct horse");
        UserAccount[] accounts =
        [
            new("alice", hash, AccountAccess.ReadWrite, DavPath.Root, []),
            new("bob", hash, AccountAccess.ReadOnly, DavPath.Parse("homes/bob"), [new PathRule(DavPath.Parse("inbox"), null, true), new PathRule(DavPath.Parse("secret"), false, null)]),
        ];
        UsersFile.Write(file, accounts);

        var read = UsersFile.Read(file);
        Assert.Equal(2, read.Count);
        Assert.Equal(accounts[0] with { Rules = [] }, read[0] with { Rules = [] });
        Assert.Equal(DavPath.Parse("homes/bob"), read[1].Home);
        Assert.Equal(accounts[1].Rules, read[1].Rules);
        var text = File.ReadAllText(file);
        Assert.DoesNotContain("correct horse", text, StringComparison.Ordinal);
        Assert.Contains(hash, text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Theory]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA==","access":"admin"}]}""", "access must be")]
    [InlineData("""{"users":[{"name":"a:b","passwordHash":"AQAAAA=="}]}""", "not a valid user name")]
    [InlineData("""{"users":[{"name":"a"}]}""", "passwordHash is missing")]
    [InlineData("""{"users":[{"name":"a","password":"plain"}]}""", "not a valid users file")]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA==","home":"../etc"}]}""", "is not a folder path")]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA==","rules":[{"path":"/x"}]}]}""", "says neither read nor write")]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA==","rules":[{"path":"/x","write":"maybe"}]}]}""", "must be \"allow\" or \"deny\"")]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA=="},{"name":"a","passwordHash":"AQAAAA=="}]}""", "is there twice")]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA==","quota":"10 GB"}]}""", "the user has none")]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA==","home":"a","quota":"lots"}]}""", "is not a size")]
    [InlineData("""{"users":[{"name":"a","passwordHash":"AQAAAA==","home":"a","quota":"-5"}]}""", "is not a size")]
    [InlineData("""{"users":[""", "not a valid users file")]
    public void Problems_Are_Named_For_The_Operator(string json, string expected)
    {
        using var temp = new TempFolder();
        var file = temp.Combine("users.json");
        File.WriteAllText(file, json);
        var problem = Assert.Throws<UsersFileException>(() => UsersFile.Read(file));
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Quota_On_The_Home_Folder_Round_Trips_In_Bytes_And_Units_Are_Read()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("users.json");
        var hash = PasswordVerifier.Hash("pw");
        UsersFile.Write(file, [new UserAccount("carol", hash, AccountAccess.ReadWrite, DavPath.Parse("homes/carol"), [], 5_000)]);
        Assert.Equal(5_000, Assert.Single(UsersFile.Read(file)).QuotaBytes);
        Assert.Contains("\"quota\": \"5000\"", File.ReadAllText(file), StringComparison.Ordinal);

        File.WriteAllText(file, $$"""{"users":[{"name":"a","passwordHash":"{{hash}}","home":"a","quota":"2 GiB"},{"name":"b","passwordHash":"{{hash}}","home":"b","quota":"500MB"}]}""");
        var read = UsersFile.Read(file);
        Assert.Equal(2L * 1024 * 1024 * 1024, read[0].QuotaBytes);
        Assert.Equal(500_000_000, read[1].QuotaBytes);
    }

    [Fact]
    public void Comments_Trailing_Commas_And_Any_Property_Case_Are_Accepted()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("users.json");
        File.WriteAllText(file, """
            // Edited by hand.
            { "Users": [ { "Name": "a", "PasswordHash": "AQAAAA==", "Access": "read-only", }, ], }
            """);
        Assert.Equal(AccountAccess.ReadOnly, Assert.Single(UsersFile.Read(file)).Access);
    }
}
