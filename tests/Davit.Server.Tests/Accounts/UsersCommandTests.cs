using Davit.Server.Accounts;
using Davit.Storage;
using Microsoft.AspNetCore.Identity;

namespace Davit.Server.Tests.Accounts;

/// <summary>The users command: add, passwd, set, remove, list; passwords from a prompt or standard input.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    private string File => temp.Combine("users.json");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Add_With_Password_From_Stdin_Stores_A_Hash_That_Verifies()
    {
        var (code, output, _) = Run(["add", "alice", "--password-stdin", "--users", File], stdin: "pa:ss wörd\n");
        Assert.Equal(0, code);
        Assert.Contains("Added alice: read-write", output, StringComparison.Ordinal);

        var alice = Assert.Single(UsersFile.Read(File));
        Assert.Equal("alice", alice.Name);
        Assert.Equal(AccountAccess.ReadWrite, alice.Access);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<object>().VerifyHashedPassword(new object(), alice.PasswordHash, "pa:ss wörd"));
        Assert.DoesNotContain("pa:ss", System.IO.File.ReadAllText(File), StringComparison.Ordinal);
    }

    [Fact]
    public void Add_Asks_Twice_Without_Echo_And_Refuses_Two_Different_Answers()
    {
        var answers = new Queue<string?>(["one", "two"]);
        var (code, _, error) = Run(["add", "bob", "--users", File], prompt: _ => answers.Dequeue());
        Assert.Equal(1, code);
        Assert.Contains("differ", error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(File));

        answers = new Queue<string?>(["same", "same"]);
        Assert.Equal(0, Run(["add", "bob", "--read-only", "--home", "/homes/bob/", "--users", File], prompt: _ => answers.Dequeue()).Code);
        var bob = Assert.Single(UsersFile.Read(File));
        Assert.Equal(AccountAccess.ReadOnly, bob.Access);
        Assert.Equal(DavPath.Parse("homes/bob"), bob.Home);
    }

    [Fact]
    public void Without_A_Terminal_The_Command_Says_To_Use_Password_Stdin()
    {
        var (code, _, error) = Run(["add", "carol", "--users", File], prompt: _ => null);
        Assert.Equal(1, code);
        Assert.Contains("--password-stdin", error, StringComparison.Ordinal);
        Assert.Equal(1, Run(["add", "carol", "--password-stdin", "--users", File], stdin: "").Code);
    }

    [Fact]
    public void Passwd_Set_Remove_And_List()
    {
        Assert.Equal(0, Run(["add", "alice", "--password-stdin", "--users", File], stdin: "first\n").Code);
        Assert.Equal(0, Run(["add", "bob", "--password-stdin", "--users", File], stdin: "bobs\n").Code);
        var before = UsersFile.Read(File)[0].PasswordHash;

        Assert.Equal(0, Run(["passwd", "alice", "--password-stdin", "--users", File], stdin: "second\n").Code);
        var after = UsersFile.Read(File)[0].PasswordHash;
        Assert.NotEqual(before, after);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<object>().VerifyHashedPassword(new object(), after, "second"));

        Assert.Equal(0, Run(["set", "alice", "--read-only", "--allow-write", "/inbox", "--deny-read", "/inbox/private", "--home", "alice", "--users", File]).Code);
        var list = Run(["list", "--users", File]).Output;
        Assert.Contains("alice: read-only, home /alice, allow write /inbox, deny read /inbox/private", list, StringComparison.Ordinal);
        Assert.Contains("bob: read-write", list, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAA", list, StringComparison.Ordinal);

        Assert.Equal(0, Run(["set", "alice", "--read-write", "--no-home", "--clear-rules", "--users", File]).Code);
        Assert.Contains("alice: read-write\n", Run(["list", "--users", File]).Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        Assert.Equal(0, Run(["remove", "bob", "--users", File]).Code);
        Assert.Equal(["alice"], UsersFile.Read(File).Select(a => a.Name));
    }

    [Theory]
    [InlineData(new[] { "add" }, 2, "needs a user name")]
    [InlineData(new[] { "add", "a:b" }, 2, "not a valid user name")]
    [InlineData(new[] { "add", "x", "--home", "../up" }, 2, "--home needs a folder path")]
    [InlineData(new[] { "add", "x", "--deny-write" }, 2, "needs a path")]
    [InlineData(new[] { "add", "x", "--colour" }, 2, "not an option")]
    [InlineData(new[] { "frobnicate" }, 2, "unknown users command")]
    [InlineData(new[] { "remove", "nobody" }, 1, "there is no users file")]
    public void Bad_Usage_Is_Explained(string[] args, int expected, string message)
    {
        var (code, _, error) = Run([.. args, "--users", File]);
        Assert.Equal(expected, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_An_Existing_User_Or_Changing_A_Missing_One_Fails()
    {
        Assert.Equal(0, Run(["add", "alice", "--password-stdin", "--users", File], stdin: "pw\n").Code);
        Assert.Contains("exists already", Run(["add", "alice", "--password-stdin", "--users", File], stdin: "pw\n").Error, StringComparison.Ordinal);
        Assert.Contains("no user 'bob'", Run(["passwd", "bob", "--password-stdin", "--users", File], stdin: "pw\n").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Configured_Users_File_Is_The_Default()
    {
        Assert.Equal(0, new UsersCommand(new StringReader("pw\n"), TextWriter.Null, TextWriter.Null, _ => null).Run(["add", "alice", "--password-stdin"], File));
        Assert.Single(UsersFile.Read(File));
    }

    [Fact]
    public void Quota_Is_Set_With_A_Home_Folder_Removed_With_No_Quota_And_Refused_Without_A_Home()
    {
        var (refused, _, error) = Run(["add", "dan", "--quota", "1GB", "--password-stdin", "--users", File], stdin: "pw\n");
        Assert.Equal(1, refused);
        Assert.Contains("home folder", error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(File));

        Assert.Equal(2, Run(["add", "dan", "--home", "dan", "--quota", "a lot", "--password-stdin", "--users", File], stdin: "pw\n").Code);
        var (code, output, _) = Run(["add", "dan", "--home", "dan", "--quota", "10MiB", "--password-stdin", "--users", File], stdin: "pw\n");
        Assert.Equal(0, code);
        Assert.Contains("quota 10485760 bytes", output, StringComparison.Ordinal);
        Assert.Equal(10L << 20, Assert.Single(UsersFile.Read(File)).QuotaBytes);

        Assert.Equal(1, Run(["set", "dan", "--no-home", "--users", File]).Code);
        Assert.Equal(0, Run(["set", "dan", "--no-quota", "--users", File]).Code);
        Assert.Null(Assert.Single(UsersFile.Read(File)).QuotaBytes);
    }

    private (int Code, string Output, string Error) Run(string[] args, string stdin = "", Func<string, string?>? prompt = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = new UsersCommand(new StringReader(stdin), output, error, prompt ?? (_ => null)).Run(args, null);
        return (code, output.ToString(), error.ToString());
    }
}
