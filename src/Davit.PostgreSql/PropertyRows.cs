using System.Xml.Linq;
using Davit.Storage;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>Dead properties: one row per property, the name in Clark notation ("{ns}local"), the value as
/// <see cref="DeadProperty.ToXml"/>.</summary>
internal static class PropertyRows
{
    public static async ValueTask<IReadOnlyList<DeadProperty>> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long nodeId, IReadOnlyCollection<XName>? names, CancellationToken cancellationToken)
    {
        var command = names is null
            ? Sql.Command(connection, transaction, "SELECT value FROM properties WHERE node_id = $1").With(nodeId)
            : Sql.Command(connection, transaction, "SELECT value FROM properties WHERE node_id = $1 AND name = ANY($2)").With(nodeId).With(Clark(names));
        var values = await command.ListAsync(r => r.GetString(0), cancellationToken);
        return Order([.. values.Select(DeadProperty.Parse)]);
    }

    /// <summary>Applies the net effect of <paramref name="updates"/> (the last instruction for a name wins) in two
    /// statements.</summary>
    public static async ValueTask ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long nodeId, IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken)
    {
        var last = new Dictionary<XName, DeadProperty?>();
        foreach (var update in updates)
        {
            if (update.Value is { } value && value.Name != update.Name)
            {
                throw new ArgumentException($"The value of {update.Name} is an element named {value.Name}.", nameof(updates));
            }

            last[update.Name] = update.Value;
        }

        var removed = last.Where(p => p.Value is null).Select(p => p.Key.ToString()).ToArray();
        var set = last.Where(p => p.Value is not null).ToArray();
        if (removed.Length > 0)
        {
            await Sql.Command(connection, transaction, "DELETE FROM properties WHERE node_id = $1 AND name = ANY($2)")
                .With(nodeId).With(removed).RunAsync(cancellationToken);
        }

        if (set.Length > 0)
        {
            await Sql.Command(connection, transaction, """
                INSERT INTO properties (node_id, name, value) SELECT $1, n, v FROM unnest($2::text[], $3::text[]) AS u(n, v)
                ON CONFLICT (node_id, name) DO UPDATE SET value = EXCLUDED.value
                """).With(nodeId).With(set.Select(p => p.Key.ToString()).ToArray()).With(set.Select(p => p.Value!.ToXml()).ToArray())
                .RunAsync(cancellationToken);
        }
    }

    public static string[] Clark(IEnumerable<XName> names) => [.. names.Select(n => n.ToString()).Distinct(StringComparer.Ordinal)];

    /// <summary>The order the in-memory store gives: by namespace, then local name, ordinal.</summary>
    public static IReadOnlyList<DeadProperty> Order(IEnumerable<DeadProperty> properties) =>
        [.. properties.OrderBy(p => p.Name.NamespaceName, StringComparer.Ordinal).ThenBy(p => p.Name.LocalName, StringComparer.Ordinal)];
}

/// <summary>The dead properties fetched with a listing (<see cref="IFolder.GetChildrenAsync"/>), so that a member
/// answers from them without another query.</summary>
internal sealed class PreloadedProperties(PropertySelection selection, Dictionary<XName, string> values)
{
    /// <summary>The properties of <paramref name="selection"/> from two columns (names, values) aggregated by
    /// <c>array_agg</c>, null when the node has none, starting at <paramref name="ordinal"/>.</summary>
    public static PreloadedProperties Read(NpgsqlDataReader reader, int ordinal, PropertySelection selection)
    {
        var values = new Dictionary<XName, string>();
        if (!reader.IsDBNull(ordinal))
        {
            var names = reader.GetFieldValue<string[]>(ordinal);
            var xml = reader.GetFieldValue<string[]>(ordinal + 1);
            for (var i = 0; i < names.Length; i++)
            {
                values[XName.Get(names[i])] = xml[i];
            }
        }

        return new PreloadedProperties(selection, values);
    }

    /// <summary>The stored properties among <paramref name="names"/> (all when null), or null when the listing did
    /// not fetch them all.</summary>
    public IReadOnlyList<DeadProperty>? TryGet(IReadOnlyCollection<XName>? names)
    {
        if (names is null)
        {
            return selection.IsAll ? PropertyRows.Order(values.Values.Select(DeadProperty.Parse)) : null;
        }

        if (!selection.IsAll && !names.All(selection.Names.Contains))
        {
            return null;
        }

        return PropertyRows.Order(names.Distinct().Where(values.ContainsKey).Select(n => DeadProperty.Parse(values[n])));
    }
}
