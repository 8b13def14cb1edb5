using Davit.Server.Accounts;
using Davit.Storage;

namespace Davit.Server.Tests.Accounts;

/// <summary>How a user's access and path rules decide reading and writing.</summary>
public sealed class UserAccountTests
{
    private static UserAccount Account(AccountAccess access, params PathRule[] rules) =>
        new("u", "hash", access, DavPath.Root, rules);

    private static PathRule Rule(string path, bool? read = null, bool? write = null) => new(DavPath.Parse(path), read, write);

    [Theory]
    [InlineData("", true, true)]
    [InlineData("a/b.txt", true, true)]
    public void Read_Write_May_Do_Everything_Without_Rules(string path, bool read, bool write)
    {
        var account = Account(AccountAccess.ReadWrite);
        Assert.Equal(read, account.Allows(DavPath.Parse(path), write: false, tree: true));
        Assert.Equal(write, account.Allows(DavPath.Parse(path), write: true, tree: true));
    }

    [Fact]
    public void Read_Only_Reads_Everywhere_And_Writes_Nowhere()
    {
        var account = Account(AccountAccess.ReadOnly);
        Assert.True(account.Allows(DavPath.Parse("x/y"), write: false, tree: true));
        Assert.False(account.Allows(DavPath.Parse("x/y"), write: true, tree: false));
        Assert.False(account.Allows(DavPath.Root, write: true, tree: false));
    }

    [Fact]
    public void The_Longest_Matching_Rule_Wins()
    {
        var account = Account(AccountAccess.ReadOnly, Rule("inbox", write: true), Rule("inbox/archive", write: false));
        Assert.True(account.Allows(DavPath.Parse("inbox"), write: true, tree: false));
        Assert.True(account.Allows(DavPath.Parse("inbox/new.txt"), write: true, tree: false));
        Assert.False(account.Allows(DavPath.Parse("inbox/archive/old.txt"), write: true, tree: false));
        Assert.False(account.Allows(DavPath.Parse("inboxes"), write: true, tree: false));

        // The tree of inbox holds a denied part.
        Assert.False(account.Allows(DavPath.Parse("inbox"), write: true, tree: true));
        Assert.True(account.Allows(DavPath.Parse("inbox/new"), write: true, tree: true));
    }

    [Fact]
    public void Writing_Needs_Reading_Too()
    {
        var account = Account(AccountAccess.ReadWrite, Rule("private", read: false));
        Assert.False(account.Allows(DavPath.Parse("private/x"), write: false, tree: false));
        Assert.False(account.Allows(DavPath.Parse("private/x"), write: true, tree: false));
        Assert.True(account.Allows(DavPath.Parse("public/x"), write: true, tree: false));

        // Deleting or copying the root's tree would reach the private folder.
        Assert.True(account.Allows(DavPath.Root, write: false, tree: false));
        Assert.False(account.Allows(DavPath.Root, write: false, tree: true));
        Assert.False(account.Allows(DavPath.Root, write: true, tree: true));
    }

    [Fact]
    public void A_Rule_Can_Open_A_Folder_Below_A_Denied_One()
    {
        var account = Account(AccountAccess.ReadWrite, Rule("team", read: false), Rule("team/shared", read: true));
        Assert.False(account.Allows(DavPath.Parse("team/other"), write: false, tree: false));
        Assert.True(account.Allows(DavPath.Parse("team/shared/doc"), write: true, tree: false));
        Assert.True(account.Allows(DavPath.Parse("team/shared"), write: true, tree: true));
        Assert.False(account.Allows(DavPath.Parse("team"), write: false, tree: true));
    }
}
