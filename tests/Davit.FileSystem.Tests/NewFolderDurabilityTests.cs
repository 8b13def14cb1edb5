using System.Collections.Concurrent;
using Davit.Conformance;
using Davit.FileSystem.Disk;
using Davit.Storage;

namespace Davit.FileSystem.Tests;

/// <summary>
/// A file put into a folder that a concurrent MKCOL has just created must not be answered before the folder's own
/// name is on the disk: after a power cut in between, the folder, and with it the acknowledged file, would be gone.
/// The flush of the new folder's parent is held up here (a power cut cannot be produced on demand) while another
/// instance over the same root writes into the new folder.
/// </summary>
public sealed class NewFolderDurabilityTests : IDisposable
{
    private readonly StoreTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task A_File_Put_Into_A_Folder_Being_Created_Is_Answered_Only_After_The_Folder_Name_Is_Flushed()
    {
        using var other = new FileSystemStore(new FileSystemStoreOptions { Root = bed.Root });
        var events = new ConcurrentQueue<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bed.Store.FolderFlushes = new FolderFlushes(folder =>
        {
            if (string.Equals(folder, bed.Root, StringComparison.Ordinal))
            {
                release.Task.Wait(TimeSpan.FromSeconds(30));
                DirectoryFlush.Flush(folder);
                events.Enqueue("root flushed");
                return;
            }

            DirectoryFlush.Flush(folder);
        });

        var mkcol = Task.Run(() => bed.Store.InWriteAsync(async context =>
            await Assert.IsAssignableFrom<IFolder>(await bed.Store.GetHierarchyItemAsync(DavPath.Root, context, default))
                .CreateFolderAsync("new", default)));

        for (var i = 0; i < 1_000 && !Directory.Exists(bed.OnDisk("new")); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(Directory.Exists(bed.OnDisk("new")), "The MKCOL created its folder.");
        var put = Task.Run(async () =>
        {
            await other.InWriteAsync(async context =>
            {
                var folder = Assert.IsAssignableFrom<IFolder>(await other.GetHierarchyItemAsync(DavPath.Parse("/new"), context, default));
                await folder.CreateFileAsync("file.txt", FileContent.FromStream(new MemoryStream("acknowledged"u8.ToArray()), 12, null), default);
            });
            events.Enqueue("put answered");
        });

        // Give the PUT every chance to finish while the folder's name is not yet flushed; it must not.
        await Task.WhenAny(put, Task.Delay(TimeSpan.FromSeconds(2)));
        release.SetResult();
        await mkcol;
        await put;

        Assert.Equal(["root flushed", "put answered"], events.ToArray());
        Assert.Equal("acknowledged", await File.ReadAllTextAsync(bed.OnDisk(Path.Combine("new", "file.txt"))));
    }
}
