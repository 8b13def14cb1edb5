using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.FileSystem.Tests;

/// <summary>A store over a fresh temporary folder, with an "outside" folder next to its root; deleted afterwards.</summary>
internal sealed class StoreTestBed : IDisposable
{
    private readonly string? metadataPath;
    private readonly TimeProvider? timeProvider;

    public StoreTestBed(string? metadataPath = null, TimeProvider? timeProvider = null)
    {
        Base = Path.Combine(Path.GetTempPath(), "davit-fs-" + Guid.NewGuid().ToString("N"));
        Root = Path.Combine(Base, "root");
        Outside = Path.Combine(Base, "outside");
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "top secret");
        this.metadataPath = metadataPath is null ? null : Path.Combine(Base, metadataPath);
        this.timeProvider = timeProvider;
        Store = Open();
    }

    public string Base { get; }

    public string Root { get; }

    public string Outside { get; }

    public string Staging => Path.Combine(metadataPath ?? Path.Combine(Root, ".davit"), "staging");

    public FileSystemStore Store { get; private set; }

    public StoreContext Context { get; } = StoreContext.None();

    /// <summary>Disposes the store and opens a new one over the same folders, as after a restart.</summary>
    public void Restart()
    {
        Store.Dispose();
        Store = Open();
    }

    public async Task<IHierarchyItem?> GetAsync(string path) =>
        await Store.GetHierarchyItemAsync(DavPath.Parse(path), Context, CancellationToken.None);

    public async Task<IFile> GetFileAsync(string path) => Assert.IsAssignableFrom<IFile>(await GetAsync(path));

    public async Task<IFolder> GetFolderAsync(string path) => Assert.IsAssignableFrom<IFolder>(await GetAsync(path));

    /// <summary>Creates or replaces the file at <paramref name="path"/>, as PUT does.</summary>
    public async Task<IFile> PutAsync(string path, byte[] bytes)
    {
        var davPath = DavPath.Parse(path);
        if (await GetAsync(path) is IFile existing)
        {
            await existing.WriteAsync(FileContent.FromStream(new MemoryStream(bytes), bytes.Length, null), null, CancellationToken.None);
            return existing;
        }

        var parent = await GetFolderAsync(davPath.Parent.ToString());
        return await parent.CreateFileAsync(davPath.Name, FileContent.FromStream(new MemoryStream(bytes), bytes.Length, null), CancellationToken.None);
    }

    public Task<IFile> PutAsync(string path, string text) => PutAsync(path, System.Text.Encoding.UTF8.GetBytes(text));

    public async Task<IFolder> MkcolAsync(string path)
    {
        var davPath = DavPath.Parse(path);
        var parent = await GetFolderAsync(davPath.Parent.ToString());
        return await parent.CreateFolderAsync(davPath.Name, CancellationToken.None);
    }

    public async Task<List<string>> ListAsync(string path)
    {
        var folder = await GetFolderAsync(path);
        var names = new List<string>();
        await foreach (var child in folder.GetChildrenAsync(PropertySelection.None, CancellationToken.None))
        {
            names.Add(child.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public static async Task<string> ReadTextAsync(IFile file)
    {
        using var output = new MemoryStream();
        await using var reader = await file.OpenReadAsync(CancellationToken.None);
        await reader.ReadAsync(output, 0, reader.Length, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    public string OnDisk(string relative) => Path.Combine(Root, relative);

    public string[] StagedFiles() => Directory.Exists(Staging) ? Directory.GetFiles(Staging) : [];

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private FileSystemStore Open() =>
        new(new FileSystemStoreOptions { Root = Root, MetadataPath = metadataPath }, timeProvider);
}
