using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Davit.Storage;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// A folder. Its members come with one query (their dead properties with them, as the listing asks); it takes whole
/// trees of the same database in a constant number of statements: a move is one updated row, a copy two inserts
/// that share the contents, a delete one cascading delete.
/// </summary>
internal sealed class PgFolder(PostgreSqlStore store, PgUnitOfWork? unit, NodeRow row, DavPath path)
    : PgItem(store, unit, row, path), IFolder, IMoveTarget, ICopyTarget, ITreeDelete
{
    public async IAsyncEnumerable<IHierarchyItem> GetChildrenAsync(PropertySelection properties, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var scope = Scope;
        if (scope.InUnit)
        {
            // The unit's one connection may be needed by the caller between members: read them all first.
            var members = await scope.ReadAsync(async (connection, transaction) =>
            {
                var list = new List<IHierarchyItem>();
                await foreach (var member in ReadChildrenAsync(connection, transaction, properties, cancellationToken))
                {
                    list.Add(member);
                }

                return list;
            }, cancellationToken);
            foreach (var member in members)
            {
                yield return member;
            }

            yield break;
        }

        // Outside a unit the members stream as they are read, on a connection held for the listing.
        await Store.EnsureReadyAsync(cancellationToken);
        await using var held = await Store.Database.OpenAsync(cancellationToken);
        var enumerator = ReadChildrenAsync(held, null, properties, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator)
        {
            while (await Store.Database.GuardAsync(async () => await enumerator.MoveNextAsync()))
            {
                yield return enumerator.Current;
            }
        }
    }

    private async IAsyncEnumerable<IHierarchyItem> ReadChildrenAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PropertySelection properties,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var command = properties.IsNone
            ? Sql.Command(connection, transaction, $"SELECT {Tree.Columns}, NULL::text[], NULL::text[] FROM {Tree.From} WHERE n.parent_id = $1 ORDER BY n.name")
                .With(Row.Id)
            : Sql.Command(connection, transaction, $"""
                SELECT {Tree.Columns}, p.names, p.vals FROM {Tree.From}
                LEFT JOIN LATERAL (
                    SELECT array_agg(pr.name) AS names, array_agg(pr.value) AS vals FROM properties pr
                    WHERE pr.node_id = n.id AND ($2::text[] IS NULL OR pr.name = ANY($2))) p ON true
                WHERE n.parent_id = $1 ORDER BY n.name
                """).With(Row.Id).WithNullable(properties.IsAll ? null : PropertyRows.Clark(properties.Names));

        var any = false;
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                any = true;
                var row = Tree.Read(reader);
                var preloaded = properties.IsNone ? null : PreloadedProperties.Read(reader, Tree.ColumnCount, properties);
                yield return Store.CreateItem(Scope.InUnit ? Unit : null, row, Path.Append(row.Name), preloaded);
            }
        }

        if (!any && await Tree.GetAsync(connection, transaction, Row.Id, cancellationToken) is null)
        {
            throw Gone();
        }
    }

    public async ValueTask<IFile> CreateFileAsync(string name, FileContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        Names.Check(name);
        await using var intake = await Store.Intake.PrepareAsync(content, Scope.InUnit, cancellationToken);
        var now = Store.Now();
        var row = await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureFolderAsync(connection, transaction, cancellationToken);
                if (await Tree.GetChildAsync(connection, transaction, Row.Id, name, cancellationToken) is not null)
                {
                    throw Exists(name);
                }

                var (contentId, _) = await intake.TakeAsync(connection, transaction, cancellationToken);
                var created = await Tree.InsertAsync(connection, transaction, Row.Id, name, Ticks.From(now), contentId, content.ContentType, cancellationToken)
                    ?? throw Exists(name);
                return created;
            },
            cancellationToken);
        return new PgFile(Store, Scope.InUnit ? Unit : null, row, Path.Append(name));
    }

    public async ValueTask<IFolder> CreateFolderAsync(string name, CancellationToken cancellationToken)
    {
        Names.Check(name);
        var now = Store.Now();
        var row = await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureFolderAsync(connection, transaction, cancellationToken);
                var created = await Tree.InsertAsync(connection, transaction, Row.Id, name, Ticks.From(now), null, null, cancellationToken) ?? throw Exists(name);
                return created;
            },
            cancellationToken);
        return new PgFolder(Store, Scope.InUnit ? Unit : null, row, Path.Append(name));
    }

    public async ValueTask<bool> MoveIntoAsync(string name, IHierarchyItem source, bool replace, CancellationToken cancellationToken)
    {
        Names.Check(name);
        if (Store.Own(source) is not { } moved)
        {
            return false;
        }

        if (moved.Row.ParentId is not { } oldParent)
        {
            throw new StoreException(StoreError.Forbidden, "The root cannot be moved.");
        }

        var now = Store.Now();
        await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                await PrepareDestinationAsync(connection, transaction, moved, name, replace, now, cancellationToken);
                var current = await Tree.GetAsync(connection, transaction, moved.Row.Id, cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, $"'{source.Path}' was deleted meanwhile.");
                await Tree.MoveAsync(connection, transaction, moved.Row.Id, Row.Id, name, cancellationToken);
                await Tree.TouchAsync(connection, transaction, current.ParentId ?? oldParent, Ticks.From(now), cancellationToken);
                await Tree.TouchAsync(connection, transaction, Row.Id, Ticks.From(now), cancellationToken);
                return 0;
            },
            cancellationToken);
        return true;
    }

    public async ValueTask<bool> CopyIntoAsync(string name, IHierarchyItem source, bool deep, bool replace, TreeErrors errors, CancellationToken cancellationToken)
    {
        Names.Check(name);
        if (Store.Own(source) is not { } copied)
        {
            return false;
        }

        var now = Store.Now();
        await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                await PrepareDestinationAsync(connection, transaction, copied, name, replace, now, cancellationToken);
                if (await Tree.GetAsync(connection, transaction, copied.Row.Id, cancellationToken) is null)
                {
                    throw new StoreException(StoreError.NotFound, $"'{source.Path}' was deleted meanwhile.");
                }

                await Tree.CopyTreeAsync(connection, transaction, copied.Row.Id, Row.Id, name, deep, Ticks.From(now), cancellationToken);
                await Tree.TouchAsync(connection, transaction, Row.Id, Ticks.From(now), cancellationToken);
                return 0;
            },
            cancellationToken);
        return true;
    }

    public async ValueTask<bool> DeleteTreeAsync(TreeErrors errors, CancellationToken cancellationToken)
    {
        if (Row.ParentId is not { } parent)
        {
            throw new StoreException(StoreError.Forbidden, "The root cannot be deleted.");
        }

        var now = Store.Now();
        await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                if (!await Tree.DeleteTreeAsync(connection, transaction, Row.Id, now, cancellationToken))
                {
                    throw Gone();
                }

                await Tree.TouchAsync(connection, transaction, parent, Ticks.From(now), cancellationToken);
                return 0;
            },
            cancellationToken);
        return true;
    }

    private async ValueTask EnsureFolderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var current = await EnsureExistsAsync(connection, transaction, cancellationToken);
        if (!current.IsFolder)
        {
            throw Gone();
        }
    }

    // The checks the engine made already, again under the write lock (the races), and the guard that keeps a tree
    // from being grafted into itself; then what is at the name goes, when the caller said so.
    private async ValueTask PrepareDestinationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PgItem source, string name, bool replace,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureFolderAsync(connection, transaction, cancellationToken);
        if (await Tree.IsSameOrBelowAsync(connection, transaction, Row.Id, source.Row.Id, cancellationToken))
        {
            throw new StoreException(StoreError.Forbidden, "The destination lies inside the source.");
        }

        if (await Tree.GetChildAsync(connection, transaction, Row.Id, name, cancellationToken) is not { } existing)
        {
            return;
        }

        if (existing.Id == source.Row.Id)
        {
            throw new StoreException(StoreError.Forbidden, "The source and the destination are the same.");
        }

        if (!replace)
        {
            throw Exists(name);
        }

        if (await Tree.IsSameOrBelowAsync(connection, transaction, source.Row.Id, existing.Id, cancellationToken))
        {
            throw new StoreException(StoreError.Forbidden, "The destination contains the source.");
        }

        await Tree.DeleteTreeAsync(connection, transaction, existing.Id, now, cancellationToken);
    }

    private StoreException Exists(string name) => new(StoreError.AlreadyExists, $"Something is already at '{Path.Append(name)}'.");
}
