using Davit.FileSystem.Disk;

namespace Davit.FileSystem.Tests;

public sealed class TreeRemovalTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "davit-removal-" + Guid.NewGuid().ToString("N"));

    public TreeRemovalTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            TreeRemoval.Delete(folder);
        }
    }

    [Fact]
    public void A_Tree_Deeper_Than_The_Longest_Path_Is_Deleted_Whole()
    {
        // Two chains of 1,000 levels, the second renamed to the bottom of the first: 6,000 bytes of path below the
        // top, more than the operating system takes at once (PATH_MAX 4,096 on Linux).
        var top = Path.Combine(folder, "top");
        var bottom = Chain(top, 1000);
        var second = Chain(Path.Combine(folder, "second"), 1000);
        File.WriteAllText(Path.Combine(second, "deepest.txt"), "x");
        Directory.Move(Path.Combine(folder, "second"), Path.Combine(bottom, "second"));
        File.CreateSymbolicLink(Path.Combine(bottom, "link"), folder);

        TreeRemoval.Delete(top);

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void A_Link_To_A_Folder_Is_Removed_And_Its_Target_Kept()
    {
        var top = Path.Combine(folder, "top");
        Directory.CreateDirectory(top);
        var target = Path.Combine(folder, "target");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "kept.txt"), "kept");
        Directory.CreateSymbolicLink(Path.Combine(top, "link"), target);

        TreeRemoval.Delete(top);

        Assert.False(Directory.Exists(top));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(target, "kept.txt")));
    }

    // Creates `levels` nested folders named "dd" below `top` (which is created), one level at a time so that every
    // call stays short: returns the deepest, as a path relative to nothing long.
    private static string Chain(string top, int levels)
    {
        Directory.CreateDirectory(top);
        var path = top;
        for (var i = 0; i < levels; i++)
        {
            path = Path.Combine(path, "dd");
            Directory.CreateDirectory(path);
        }

        return path;
    }
}
