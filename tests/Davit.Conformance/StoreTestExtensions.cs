using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

/// <summary>Short ways to drive a store from a test.</summary>
public static class StoreTestExtensions
{
    /// <summary>Resolves a '/'-separated path ("" for the root) with a fresh request context.</summary>
    public static async Task<IHierarchyItem?> GetAsync(this IDavStore store, string path, CancellationToken cancellationToken = default) =>
        await store.GetHierarchyItemAsync(DavPath.Parse(path), DavTestContext.Create(), cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a write unit of work of <paramref name="store"/> and commits it, as the
    /// engine does for a write; the context given to <paramref name="work"/> resolves items inside it.</summary>
    public static async Task InWriteAsync(this IDavStore store, Func<StoreContext, Task> work)
    {
        var context = DavTestContext.Create();
        await using var unit = await store.BeginAsync(context, UnitOfWorkMode.Write, CancellationToken.None);
        context.UnitOfWork = unit;
        await work(context);
        await unit.CommitAsync(CancellationToken.None);
        context.UnitOfWork = null;
    }

    /// <summary>Resolves <paramref name="path"/> and asserts that it is a file.</summary>
    public static async Task<IFile> GetFileAsync(this IDavStore store, string path) =>
        Assert.IsAssignableFrom<IFile>(await store.GetAsync(path));

    /// <summary>Resolves <paramref name="path"/> and asserts that it is a folder.</summary>
    public static async Task<IFolder> GetFolderAsync(this IDavStore store, string path) =>
        Assert.IsAssignableFrom<IFolder>(await store.GetAsync(path));

    /// <summary>Creates the file at <paramref name="path"/> (its folder must exist) holding <paramref name="body"/>.</summary>
    public static async Task<IFile> CreateFileAsync(this IDavStore store, string path, byte[] body)
    {
        var target = DavPath.Parse(path);
        var folder = await store.GetFolderAsync(target.Parent.ToString());
        return await folder.CreateFileAsync(target.Name, FileContent.FromStream(new MemoryStream(body, writable: false), body.Length, null), CancellationToken.None);
    }

    /// <summary>Creates the folder at <paramref name="path"/> (its parent must exist).</summary>
    public static async Task<IFolder> CreateFolderAsync(this IDavStore store, string path)
    {
        var target = DavPath.Parse(path);
        var parent = await store.GetFolderAsync(target.Parent.ToString());
        return await parent.CreateFolderAsync(target.Name, CancellationToken.None);
    }

    /// <summary>Reads the file at <paramref name="path"/> whole.</summary>
    public static async Task<byte[]> ReadFileAsync(this IDavStore store, string path) =>
        await (await store.GetFileAsync(path)).ReadAllBytesAsync();

    /// <summary>Reads the whole content as it is now.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(this IContent content, CancellationToken cancellationToken = default)
    {
        await using var reader = await content.OpenReadAsync(cancellationToken);
        using var output = new MemoryStream();
        await reader.ReadAsync(output, 0, reader.Length, cancellationToken);
        return output.ToArray();
    }

    /// <summary>Reads <paramref name="count"/> bytes from <paramref name="offset"/> of the version open now; returns
    /// exactly what the content wrote.</summary>
    public static async Task<byte[]> ReadRangeAsync(this IContent content, long offset, long count, CancellationToken cancellationToken = default)
    {
        await using var reader = await content.OpenReadAsync(cancellationToken);
        using var output = new MemoryStream();
        await reader.ReadAsync(output, offset, count, cancellationToken);
        return output.ToArray();
    }

    /// <summary>Replaces the content with <paramref name="body"/>.</summary>
    public static async Task WriteBytesAsync(this IContent content, byte[] body, string? expectedETag = null) =>
        await content.WriteAsync(FileContent.FromStream(new MemoryStream(body, writable: false), body.Length, null), expectedETag, CancellationToken.None);

    /// <summary>The direct members of <paramref name="folder"/>, in the order the store yields them.</summary>
    public static async Task<List<IHierarchyItem>> ListAsync(this IFolder folder)
    {
        var items = new List<IHierarchyItem>();
        await foreach (var item in folder.GetChildrenAsync(PropertySelection.None, CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>The names of the direct members of <paramref name="folder"/>, sorted ordinally.</summary>
    public static async Task<List<string>> ListNamesAsync(this IFolder folder) =>
        [.. (await folder.ListAsync()).Select(i => i.Name).Order(StringComparer.Ordinal)];

    /// <summary>The item's dead-property capability; fails when it has none.</summary>
    public static IDeadProperties DeadProperties(this IHierarchyItem item) => Assert.IsAssignableFrom<IDeadProperties>(item);

    /// <summary>Sets each of <paramref name="elements"/> as a dead property, in one batch.</summary>
    public static async Task SetPropertiesAsync(this IHierarchyItem item, params XElement[] elements) =>
        await item.DeadProperties().UpdatePropertiesAsync([.. elements.Select(e => new PropertyUpdate(e.Name, new DeadProperty(e)))], CancellationToken.None);

    /// <summary>Removes each of <paramref name="names"/>, in one batch.</summary>
    public static async Task RemovePropertiesAsync(this IHierarchyItem item, params XName[] names) =>
        await item.DeadProperties().UpdatePropertiesAsync([.. names.Select(n => new PropertyUpdate(n, null))], CancellationToken.None);

    /// <summary>All dead properties of <paramref name="item"/>.</summary>
    public static async Task<IReadOnlyList<DeadProperty>> GetAllPropertiesAsync(this IHierarchyItem item) =>
        await item.DeadProperties().GetPropertiesAsync(null, CancellationToken.None);

    /// <summary>The dead property <paramref name="name"/>, or null.</summary>
    public static async Task<DeadProperty?> GetPropertyAsync(this IHierarchyItem item, XName name) =>
        (await item.DeadProperties().GetPropertiesAsync([name], CancellationToken.None)).SingleOrDefault();
}
