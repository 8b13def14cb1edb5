using System.Xml.Linq;
using Davit.Storage;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// Dead properties, one row per (item path, property name), the name in Clark notation ("{ns}local") and the value
/// as <see cref="DeadProperty.ToXml"/>. Rows follow their items through COPY, MOVE and DELETE by path prefix, and so
/// do the rows of <see cref="HashRepository"/>.
/// </summary>
internal static class PropertyRepository
{
    /// <summary>The dead properties of <paramref name="path"/> (those in <paramref name="names"/>, or all); outside a write
    /// unit of work, at the reading request's look at the database version (<paramref name="scope"/>) when there is one.</summary>
    public static async ValueTask<IReadOnlyList<DeadProperty>> GetAsync(IMetadata database, DavPath path, IReadOnlyCollection<XName>? names, FsReadScope? scope, CancellationToken cancellationToken)
    {
        var key = path.ToString();
        IReadOnlyList<(string Name, DeadProperty Property)> rows;
        if (database is MetadataDatabase shared)
        {
            // Outside a unit of work: the rows read at the database's current version serve until anything commits.
            // Each caller gets its own copies, free to attach or change them.
            var snapshot = scope?.Snapshot ?? shared.Cache.Current();
            if (!snapshot.TryGetProperties(key, out rows))
            {
                rows = await ReadRowsAsync(database, key, cancellationToken);
                snapshot.AddProperties(key, rows);
            }

            return Select(rows, names, copy: true);
        }

        rows = await ReadRowsAsync(database, key, cancellationToken);
        return Select(rows, names, copy: false);
    }

    private static List<DeadProperty> Select(IReadOnlyList<(string Name, DeadProperty Property)> rows, IReadOnlyCollection<XName>? names, bool copy)
    {
        var wanted = names?.Select(n => n.ToString()).ToHashSet(StringComparer.Ordinal);
        var result = new List<DeadProperty>(rows.Count);
        foreach (var (name, property) in rows)
        {
            if (wanted is null || wanted.Contains(name))
            {
                result.Add(copy ? new DeadProperty(new XElement(property.Element)) : property);
            }
        }

        return result;
    }

    // Every row of one path, by its stored name; rows that do not parse are left out (see Read).
    private static ValueTask<IReadOnlyList<(string Name, DeadProperty Property)>> ReadRowsAsync(IMetadata database, string path, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<(string Name, DeadProperty Property)>>(async (connection, transaction) =>
        {
            var command = connection.Command("SELECT name, xml FROM properties WHERE path = $p;", transaction);
            command.Parameters.AddWithValue("$p", path);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var result = new List<(string, DeadProperty)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                if (Read(reader.GetString(1)) is { } property)
                {
                    result.Add((reader.GetString(0), property));
                }
            }

            return result;
        }, cancellationToken);

    /// <summary>
    /// The rows of the direct members of <paramref name="folder"/> (the ones in <paramref name="names"/>, or all),
    /// by member name: one range query for a whole listing instead of one per member.
    /// </summary>
    public static ValueTask<Dictionary<string, List<DeadProperty>>> GetMembersAsync(IMetadata database, DavPath folder, IReadOnlyCollection<XName>? names, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, transaction) =>
        {
            var wanted = names?.Select(n => n.ToString()).ToHashSet(StringComparer.Ordinal);
            var command = connection.Command($"SELECT path, name, xml FROM properties WHERE {Subtree.Below(folder, "path")};", transaction);
            Subtree.Bind(command.Parameters, folder);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var prefix = folder.IsRoot ? 0 : folder.ToString().Length + 1;
            var result = new Dictionary<string, List<DeadProperty>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var member = reader.GetString(0)[prefix..];
                if (member.Contains('/', StringComparison.Ordinal) || (wanted is not null && !wanted.Contains(reader.GetString(1))))
                {
                    continue; // deeper down, or not asked for
                }

                if (Read(reader.GetString(2)) is not { } property)
                {
                    continue;
                }

                if (!result.TryGetValue(member, out var list))
                {
                    result[member] = list = [];
                }

                list.Add(property);
            }

            return result;
        }, cancellationToken);

    /// <summary>Applies <paramref name="updates"/> in one transaction: all or nothing.</summary>
    public static ValueTask UpdateAsync(IMetadata database, DavPath path, IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            foreach (var update in updates)
            {
                var command = connection.Command(
                    update.Value is null
                        ? "DELETE FROM properties WHERE path = $p AND name = $n;"
                        : "INSERT OR REPLACE INTO properties (path, name, xml) VALUES ($p, $n, $x);",
                    transaction);
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
    public static ValueTask CopyAsync(IMetadata database, DavPath source, DavPath destination, bool deep, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM properties WHERE {Subtree.Filter(destination)}; DELETE FROM hashes WHERE {Subtree.Filter(destination)};", destination, null, cancellationToken);
            var rows = deep ? Subtree.Filter(source) : "path = $p";
            await ExecuteAsync(connection, transaction,
                $"INSERT OR REPLACE INTO properties (path, name, xml) SELECT $to || substr(path, length($p) + 1), name, xml FROM properties WHERE {rows};" +
                $"INSERT OR REPLACE INTO hashes (path, etag, sha1, md5) SELECT $to || substr(path, length($p) + 1), etag, sha1, md5 FROM hashes WHERE {rows};",
                source, destination, cancellationToken);
        }, cancellationToken);

    /// <summary>Moves the rows of <paramref name="source"/>'s subtree under <paramref name="destination"/>.</summary>
    public static ValueTask MoveAsync(IMetadata database, DavPath source, DavPath destination, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM properties WHERE {Subtree.Filter(destination)}; DELETE FROM hashes WHERE {Subtree.Filter(destination)};", destination, null, cancellationToken);
            await ExecuteAsync(connection, transaction,
                $"UPDATE properties SET path = $to || substr(path, length($p) + 1) WHERE {Subtree.Filter(source)};" +
                $"UPDATE hashes SET path = $to || substr(path, length($p) + 1) WHERE {Subtree.Filter(source)};",
                source, destination, cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes the rows of <paramref name="path"/>'s subtree, except those of the items in
    /// <paramref name="survivors"/> (members a DELETE could not remove).</summary>
    public static ValueTask DeleteAsync(IMetadata database, DavPath path, IReadOnlyCollection<DavPath> survivors, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            if (survivors.Count == 0)
            {
                await ExecuteAsync(connection, transaction, $"DELETE FROM properties WHERE {Subtree.Filter(path)}; DELETE FROM hashes WHERE {Subtree.Filter(path)};", path, null, cancellationToken);
                return;
            }

            await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS survivors (path TEXT PRIMARY KEY); DELETE FROM temp.survivors;", path, null, cancellationToken);
            foreach (var survivor in survivors)
            {
                await ExecuteAsync(connection, transaction, "INSERT OR IGNORE INTO temp.survivors (path) VALUES ($p);", survivor, null, cancellationToken);
            }

            await ExecuteAsync(connection, transaction,
                $"DELETE FROM properties WHERE {Subtree.Filter(path)} AND path NOT IN (SELECT path FROM temp.survivors);" +
                $"DELETE FROM hashes WHERE {Subtree.Filter(path)} AND path NOT IN (SELECT path FROM temp.survivors); DELETE FROM temp.survivors;",
                path, null, cancellationToken);
        }, cancellationToken);

    // Rows come from ToXml, unless the database was edited by hand: a row that is not an element any more is left out
    // (a listing carries on without it; PROPPATCH can still replace or remove it by name).
    private static DeadProperty? Read(string xml)
    {
        try
        {
            return DeadProperty.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static async ValueTask ExecuteAsync(MetadataConnection connection, SqliteTransaction transaction, string sql, DavPath path, DavPath? to, CancellationToken cancellationToken)
    {
        var command = connection.Command(sql, transaction);
        Subtree.Bind(command.Parameters, path);
        if (to is { } destination)
        {
            command.Parameters.AddWithValue("$to", destination.ToString());
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async ValueTask InTransactionAsync(IMetadata database, Func<MetadataConnection, SqliteTransaction, ValueTask> work, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await work(connection, transaction);
            return true;
        }, cancellationToken);
}
