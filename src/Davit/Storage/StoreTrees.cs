namespace Davit.Storage;

/// <summary>
/// COPY, MOVE and DELETE of whole trees, as the engine does them for every store: with a store's whole-tree capability
/// when it has one (<see cref="ICopyTarget"/>, <see cref="IMoveTarget"/>, <see cref="ITreeDelete"/>), else by walking
/// the tree with the primitives of <see cref="IFolder"/>, <see cref="IContent"/> and <see cref="IDeadProperties"/>.
/// Public so that a store's own tests can drive exactly what the engine drives. Walks never recurse: a tree of any
/// depth takes a stack on the heap.
/// </summary>
/// <remarks>
/// The walks take part in the request's unit of work like any other write. A store that rolls back its unit of
/// work gets whole-tree atomicity from it; one that does not should implement the capabilities, whose contracts ask
/// for atomic replacement.
/// </remarks>
public static class StoreTrees
{
    /// <summary>
    /// Deletes <paramref name="item"/> with its members. Members that could not be deleted are recorded in
    /// <paramref name="errors"/> (and the folders holding them stay); the rest is deleted.
    /// </summary>
    public static async ValueTask DeleteAsync(IHierarchyItem item, TreeErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(errors);
        if (item is not IFolder folder)
        {
            await item.DeleteAsync(cancellationToken);
            return;
        }

        if (folder is ITreeDelete whole && await whole.DeleteTreeAsync(errors, cancellationToken))
        {
            return;
        }

        // Post-order without recursion: a folder is revisited after its members, and deleted when none of them stayed.
        var kept = new HashSet<DavPath>();
        var pending = new Stack<(IFolder Folder, bool Visited)>();
        pending.Push((folder, false));
        while (pending.TryPop(out var entry))
        {
            var current = entry.Folder;
            if (entry.Visited)
            {
                if (kept.Contains(current.Path))
                {
                    continue;
                }

                if (ReferenceEquals(current, folder))
                {
                    // The item the request names: its own failure is the request's, not a member's.
                    await current.DeleteAsync(cancellationToken);
                }
                else
                {
                    await TryAsync(current.Path, errors, kept, folder.Path, () => current.DeleteAsync(cancellationToken));
                }

                continue;
            }

            pending.Push((current, true));
            await foreach (var child in current.GetChildrenAsync(PropertySelection.None, cancellationToken))
            {
                if (child is IFolder childFolder)
                {
                    if (childFolder is ITreeDelete childWhole)
                    {
                        var before = errors.Count;
                        if (await childWhole.DeleteTreeAsync(errors, cancellationToken))
                        {
                            KeepAncestorsOfNew(errors, before, kept, folder.Path);
                            continue;
                        }
                    }

                    pending.Push((childFolder, false));
                }
                else
                {
                    await TryAsync(child.Path, errors, kept, folder.Path, () => child.DeleteAsync(cancellationToken));
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destinationFolder"/> as <paramref name="name"/>, with
    /// its dead properties and, when <paramref name="deep"/>, its members. When <paramref name="existing"/> (what is at
    /// the destination now) is not null it is replaced: a file over a file atomically, anything else by deleting it
    /// first. Members that could not be copied are recorded in <paramref name="errors"/>.
    /// </summary>
    /// <exception cref="StoreException">The copy as a whole failed (<see cref="StoreError.AlreadyExists"/> when
    /// something appeared at the destination meanwhile, ...).</exception>
    public static async ValueTask CopyAsync(IHierarchyItem source, IFolder destinationFolder, string name, bool deep, IHierarchyItem? existing, TreeErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destinationFolder);
        ArgumentNullException.ThrowIfNull(errors);
        if (destinationFolder is ICopyTarget target && await target.CopyIntoAsync(name, source, deep, existing is not null, errors, cancellationToken))
        {
            return;
        }

        if (existing is not null)
        {
            if (source is IFile sourceFile && existing is IFile existingFile)
            {
                // A file over a file: the content is replaced atomically, so a copy that fails leaves the old one.
                await using var reader = await sourceFile.OpenReadAsync(cancellationToken);
                await using (var bytes = ContentStreams.Whole(reader, cancellationToken))
                {
                    await existingFile.WriteAsync(FileContent.FromStream(bytes, reader.Length, reader.ContentType), null, cancellationToken);
                }

                await CopyPropertiesAsync(source, existingFile, replace: true, cancellationToken);
                return;
            }

            await DeleteAsync(existing, errors, cancellationToken);
            if (errors.HasErrors)
            {
                return;
            }
        }

        var top = await CopyOneAsync(source, destinationFolder, name, cancellationToken);
        if (!deep || source is not IFolder sourceFolder)
        {
            return;
        }

        var pending = new Stack<(IFolder From, IFolder To)>();
        pending.Push((sourceFolder, (IFolder)top));
        while (pending.TryPop(out var pair))
        {
            await foreach (var child in pair.From.GetChildrenAsync(PropertySelection.None, cancellationToken))
            {
                var destination = pair.To.Path.Append(child.Name);
                try
                {
                    var copy = await CopyOneAsync(child, pair.To, child.Name, cancellationToken);
                    if (child is IFolder childFolder)
                    {
                        pending.Push((childFolder, (IFolder)copy));
                    }
                }
                catch (StoreException ex)
                {
                    errors.Add(destination, ex.Error, ex.Message);
                }
            }
        }
    }

    /// <summary>
    /// Moves <paramref name="source"/> into <paramref name="destinationFolder"/> as <paramref name="name"/>: in one step
    /// when the folder is an <see cref="IMoveTarget"/>, else by copying the tree and then deleting the source (only
    /// when every member arrived). <paramref name="existing"/> is replaced as for <see cref="CopyAsync"/>.
    /// </summary>
    public static async ValueTask MoveAsync(IHierarchyItem source, IFolder destinationFolder, string name, IHierarchyItem? existing, TreeErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destinationFolder);
        ArgumentNullException.ThrowIfNull(errors);
        if (destinationFolder is IMoveTarget target && await target.MoveIntoAsync(name, source, existing is not null, cancellationToken))
        {
            return;
        }

        await CopyAsync(source, destinationFolder, name, deep: true, existing, errors, cancellationToken);
        if (!errors.HasErrors)
        {
            await DeleteAsync(source, errors, cancellationToken);
        }
    }

    private static async ValueTask<IHierarchyItem> CopyOneAsync(IHierarchyItem source, IFolder destinationFolder, string name, CancellationToken cancellationToken)
    {
        IHierarchyItem copy;
        if (source is IFile file)
        {
            await using var reader = await file.OpenReadAsync(cancellationToken);
            await using var bytes = ContentStreams.Whole(reader, cancellationToken);
            copy = await destinationFolder.CreateFileAsync(name, FileContent.FromStream(bytes, reader.Length, reader.ContentType), cancellationToken);
        }
        else
        {
            copy = await destinationFolder.CreateFolderAsync(name, cancellationToken);
        }

        await CopyPropertiesAsync(source, copy, replace: false, cancellationToken);
        return copy;
    }

    private static async ValueTask CopyPropertiesAsync(IHierarchyItem source, IHierarchyItem target, bool replace, CancellationToken cancellationToken)
    {
        if (target is not IDeadProperties to)
        {
            return;
        }

        var properties = source is IDeadProperties from ? await from.GetPropertiesAsync(null, cancellationToken) : [];
        var updates = new List<PropertyUpdate>();
        if (replace)
        {
            var keep = properties.Select(p => p.Name).ToHashSet();
            updates.AddRange((await to.GetPropertiesAsync(null, cancellationToken)).Where(p => !keep.Contains(p.Name)).Select(p => new PropertyUpdate(p.Name, null)));
        }

        updates.AddRange(properties.Select(p => new PropertyUpdate(p.Name, p)));
        if (updates.Count > 0)
        {
            await to.UpdatePropertiesAsync(updates, cancellationToken);
        }
    }

    private static async ValueTask TryAsync(DavPath path, TreeErrors errors, HashSet<DavPath> kept, DavPath top, Func<ValueTask> delete)
    {
        try
        {
            await delete();
        }
        catch (StoreException ex) when (ex.Error != StoreError.NotFound)
        {
            errors.Add(path, ex.Error, ex.Message);
            Keep(path.Parent, kept, top);
        }
        catch (StoreException)
        {
            // Gone already: the outcome the client asked for.
        }
    }

    private static void KeepAncestorsOfNew(TreeErrors errors, int before, HashSet<DavPath> kept, DavPath top)
    {
        var all = errors.Errors;
        for (var i = before; i < all.Count; i++)
        {
            Keep(all[i].Path.Parent, kept, top);
        }
    }

    // A member that stayed keeps every folder between it and the top of the operation.
    private static void Keep(DavPath folder, HashSet<DavPath> kept, DavPath top)
    {
        var path = folder;
        while (path.IsSameOrDescendantOf(top) && kept.Add(path) && path != top)
        {
            path = path.Parent;
        }
    }
}
