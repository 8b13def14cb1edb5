using System.Xml.Linq;
using Davit.Storage;

namespace Davit.PostgreSql;

/// <summary>
/// What a file and a folder share: identity (the node's id, so that an item follows its node through a move and sees
/// it deleted), times, deletion, dead properties and a settable modification time. An item resolved in a unit of work
/// runs its statements in it while it lasts; any other item uses connections of the pool.
/// </summary>
internal abstract class PgItem(PostgreSqlStore store, PgUnitOfWork? unit, NodeRow row, DavPath path) : IHierarchyItem, IDeadProperties, IModificationTime
{
    internal PostgreSqlStore Store { get; } = store;

    internal PgUnitOfWork? Unit { get; } = unit;

    internal NodeRow Row { get; set; } = row;

    /// <summary>The dead properties read with the node, if any; forgotten once this item changes them.</summary>
    internal PreloadedProperties? Preloaded { get; set; }

    public string Name => Path.Name;

    public DavPath Path { get; } = path;

    public DateTimeOffset CreatedUtc => Ticks.To(Row.Created);

    public DateTimeOffset ModifiedUtc => Ticks.To(Row.Modified);

    internal ISqlScope Scope => Unit is { IsActive: true } active ? active : Store.Auto;

    public async ValueTask DeleteAsync(CancellationToken cancellationToken)
    {
        if (Row.ParentId is not { } parent)
        {
            throw new StoreException(StoreError.Forbidden, "The root cannot be deleted.");
        }

        var now = Store.Now();
        await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                if (await Tree.GetAsync(connection, transaction, Row.Id, cancellationToken) is null)
                {
                    throw Gone();
                }

                if (Row.IsFolder && await Sql.Command(connection, transaction, "SELECT EXISTS (SELECT 1 FROM nodes WHERE parent_id = $1)")
                        .With(Row.Id).ScalarAsync<bool>(cancellationToken))
                {
                    throw new StoreException(StoreError.Conflict, $"'{Path}' is not empty.");
                }

                await Tree.DeleteTreeAsync(connection, transaction, Row.Id, now, cancellationToken);
                await Tree.TouchAsync(connection, transaction, parent, Ticks.From(now), cancellationToken);
                return 0;
            },
            cancellationToken);
    }

    public async ValueTask<IReadOnlyList<DeadProperty>> GetPropertiesAsync(IReadOnlyCollection<XName>? names, CancellationToken cancellationToken)
    {
        if (Preloaded?.TryGet(names) is { } preloaded)
        {
            return preloaded;
        }

        return await Scope.ReadAsync((connection, transaction) => PropertyRows.GetAsync(connection, transaction, Row.Id, names, cancellationToken), cancellationToken);
    }

    public async ValueTask UpdatePropertiesAsync(IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        await Scope.WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureExistsAsync(connection, transaction, cancellationToken);
                await PropertyRows.ApplyAsync(connection, transaction, Row.Id, updates, cancellationToken);
                return 0;
            },
            cancellationToken);
        Preloaded = null;
    }

    public async ValueTask SetModifiedAsync(DateTimeOffset modifiedUtc, CancellationToken cancellationToken)
    {
        // Kept to the tick; the entity tag stays, because the bytes it names are unchanged and no other content can
        // ever have it (a generation is never issued twice).
        var ticks = Ticks.From(modifiedUtc.ToUniversalTime());
        var updated = await Scope.WriteAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, "UPDATE nodes SET modified = $2 WHERE id = $1").With(Row.Id).With(ticks).RunAsync(cancellationToken),
            cancellationToken);
        if (updated == 0)
        {
            throw Gone();
        }

        Row = Row with { Modified = ticks };
    }

    protected async ValueTask<NodeRow> EnsureExistsAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        await Tree.GetAsync(connection, transaction, Row.Id, cancellationToken) ?? throw Gone();

    protected StoreException Gone() => new(StoreError.NotFound, $"'{Path}' was deleted meanwhile.");
}
