using Davit.FileSystem.Disk;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

/// <summary>The one-call lookup of link-free paths must describe an entry exactly as <see cref="FileInfo"/> does (the
/// ETag is made of its length and time), and hand every path with a link to the component-by-component walk.</summary>
public sealed class LookupTests : IDisposable
{
    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Theory]
    [InlineData("f.txt", true)]
    [InlineData("a/b/c/f.txt", false)]
    public async Task A_File_Is_Described_As_FileInfo_Describes_It(string path, bool atRoot)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere every lookup is the walk's
        }

        Assert.True(LinkFreeLookup.IsSupported);
        if (!atRoot)
        {
            await bed.MkcolAsync("a");
            await bed.MkcolAsync("a/b");
            await bed.MkcolAsync("a/b/c");
        }

        await bed.PutAsync(path, "some content");
        var full = bed.OnDisk(path);
        File.SetLastWriteTimeUtc(full, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567));

        Assert.Equal(LookupOutcome.Found, LinkFreeLookup.TryStat(full, atRoot, out var stat));
        var info = new FileInfo(full);
        Assert.False(stat.IsFolder);
        Assert.Equal(info.Length, stat.Length);
        Assert.Equal(info.LastWriteTimeUtc, stat.ModifiedUtc);
        Assert.Equal(info.CreationTimeUtc, stat.CreatedUtc);
        var file = Assert.IsAssignableFrom<IFile>(await bed.GetAsync(path));
        Assert.Equal(FsFile.ETagOf(info.Length, info.LastWriteTimeUtc), file.ETag);
    }

    [Fact]
    public async Task A_Folder_Is_Described_As_DirectoryInfo_Describes_It()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere every lookup is the walk's
        }

        Assert.True(LinkFreeLookup.IsSupported);
        await bed.MkcolAsync("a");
        await bed.MkcolAsync("a/b");

        Assert.Equal(LookupOutcome.Found, LinkFreeLookup.TryStat(bed.OnDisk("a/b"), false, out var stat));
        var info = new DirectoryInfo(bed.OnDisk("a/b"));
        Assert.True(stat.IsFolder);
        Assert.Equal(info.LastWriteTimeUtc, stat.ModifiedUtc);
        Assert.Equal(info.CreationTimeUtc, stat.CreatedUtc);
    }

    [Fact]
    public async Task Missing_Entries_And_Files_Used_As_Folders_Are_Missing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere every lookup is the walk's
        }

        Assert.True(LinkFreeLookup.IsSupported);
        await bed.PutAsync("f.txt", "x");

        Assert.Equal(LookupOutcome.Missing, LinkFreeLookup.TryStat(bed.OnDisk("nothing"), true, out _));
        Assert.Equal(LookupOutcome.Missing, LinkFreeLookup.TryStat(bed.OnDisk("no/thing"), false, out _));
        Assert.Equal(LookupOutcome.Missing, LinkFreeLookup.TryStat(bed.OnDisk("f.txt/x"), false, out _));
    }

    [Fact]
    public async Task A_Link_Anywhere_On_The_Path_Is_Left_To_The_Walk()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere every lookup is the walk's
        }

        Assert.True(LinkFreeLookup.IsSupported);
        await bed.MkcolAsync("a");
        await bed.PutAsync("a/f.txt", "x");
        Directory.CreateSymbolicLink(bed.OnDisk("inside"), bed.OnDisk("a"));
        File.CreateSymbolicLink(bed.OnDisk("a/link.txt"), bed.OnDisk("a/f.txt"));
        File.CreateSymbolicLink(bed.OnDisk("a/dangling"), bed.OnDisk("nowhere"));

        Assert.Equal(LookupOutcome.Unknown, LinkFreeLookup.TryStat(bed.OnDisk("inside"), true, out _));
        Assert.Equal(LookupOutcome.Unknown, LinkFreeLookup.TryStat(bed.OnDisk("inside/f.txt"), false, out _));
        Assert.Equal(LookupOutcome.Unknown, LinkFreeLookup.TryStat(bed.OnDisk("a/link.txt"), false, out _));
        Assert.Equal(LookupOutcome.Unknown, LinkFreeLookup.TryStat(bed.OnDisk("a/dangling"), false, out _));
        Assert.Equal(LookupOutcome.Unknown, LinkFreeLookup.TryStat(bed.OnDisk("inside/missing"), false, out _));

        // The walk follows the links that stay inside the root.
        Assert.IsAssignableFrom<IFile>(await bed.GetAsync("inside/f.txt"));
        Assert.IsAssignableFrom<IFile>(await bed.GetAsync("a/link.txt"));
        Assert.Null(await bed.GetAsync("a/dangling"));
    }
}
