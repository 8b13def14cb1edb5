using System.Xml.Linq;
using Davit.Storage;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// Dead properties, one row per (item path, property name), the name in Clark notation ("{ns}local") and the value
/// as <see cref="DeadProperty.ToXml"/>. Rows follow their items through COPY, MOVE and DELETE by path prefix.
/// </summary>
internal sealed class PropertyRepository(MetadataDatabase database)
{
    public async ValueTask<IReadOnlyList<DeadProperty>> GetAsync(DavPath path, IReadOnlyCollection<XName>? names, CancellationToken cancellationToken)
    {
        var wanted = names?.Select(n => n.ToString()).ToHashSet(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, xml FROM properties WHERE path = $p;";
        command.Parameters.AddWithValue("$p", path.ToString());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<DeadProperty>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (wanted is null || wanted.Contains(reader.GetString(0)))
            {
                result.Add(DeadProperty.Parse(reader.GetString(1)));
            }
        }

        return result;
    }

    /// <summary>Applies <paramref name="updates"/> in one transaction: all or nothing.</summary>
    public ValueTask UpdateAsync(DavPath path, IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var update in updates)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = update.Value is null
                    ? "DELETE FROM properties WHERE path = $p AND name = $n;"
                    : "INSERT OR REPLACE INTO properties (path, name, xml) VALUES ($p, $n, $x);";
                command.Parameters.AddWithValue("$p", path.ToString());
                command.Parameters.AddWithValue("$n", update.Name.ToString());
                if (update.Value is not null)
                {
                    command.Parameters.AddWithValue("$x", update.Value.ToXml());
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);

    /// <summary>Copies the rows of <paramref name="source"/> (and of its subtree when <paramref name="deep"/>)
    /// to <paramref name="destination"/>, replacing whatever rows the destination's subtree had.</summary>
    public ValueTask CopyAsync(DavPath source, DavPath destination, bool deep, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM properties WHERE {Subtree.Filter(destination)};", destination, null, cancellationToken);
            var rows = deep ? Subtree.Filter(source) : "path = $p";
            await ExecuteAsync(connection, transaction,
                $"INSERT OR REPLACE INTO properties (path, name, xml) SELECT $to || substr(path, length($p) + 1), name, xml FROM properties WHERE {rows};",
                source, destination, cancellationToken);
        }, cancellationToken);

    /// <summary>Moves the rows of <paramref name="source"/>'s subtree under <paramref name="destination"/>.</summary>
    public ValueTask MoveAsync(DavPath source, DavPath destination, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM properties WHERE {Subtree.Filter(destination)};", destination, null, cancellationToken);
            await ExecuteAsync(connection, transaction,
                $"UPDATE properties SET path = $to || substr(path, length($p) + 1) WHERE {Subtree.Filter(source)};",
                source, destination, cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes the rows of <paramref name="path"/>'s subtree, except those of the items in
    /// <paramref name="survivors"/> (members a DELETE could not remove).</summary>
    public ValueTask DeleteAsync(DavPath path, IReadOnlyCollection<DavPath> survivors, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (survivors.Count == 0)
            {
                await ExecuteAsync(connection, transaction, $"DELETE FROM properties WHERE {Subtree.Filter(path)};", path, null, cancellationToken);
                return;
            }

            await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS survivors (path TEXT PRIMARY KEY); DELETE FROM temp.survivors;", path, null, cancellationToken);
            foreach (var survivor in survivors)
            {
                await ExecuteAsync(connection, transaction, "INSERT OR IGNORE INTO temp.survivors (path) VALUES ($p);", survivor, null, cancellationToken);
            }

            await ExecuteAsync(connection, transaction,
                $"DELETE FROM properties WHERE {Subtree.Filter(path)} AND path NOT IN (SELECT path FROM temp.survivors); DELETE FROM temp.survivors;",
                path, null, cancellationToken);
        }, cancellationToken);

    private static async ValueTask ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, DavPath path, DavPath? to, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Subtree.Bind(command.Parameters, path);
        if (to is { } destination)
        {
            command.Parameters.AddWithValue("$to", destination.ToString());
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async ValueTask InTransactionAsync(Func<SqliteConnection, SqliteTransaction, ValueTask> work, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await work(connection, transaction);
            return true;
        }, cancellationToken);
}
