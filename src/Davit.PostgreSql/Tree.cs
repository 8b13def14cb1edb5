using Davit.Storage;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>One row of <c>nodes</c>, with its content's length and chunk size (0 for a folder).</summary>
internal sealed record NodeRow(long Id, long? ParentId, string Name, bool IsFolder, long Created, long Modified, long? ContentId, long Generation, long Length, string? ContentType, int ChunkSize, long ContentCreated);

/// <summary>A resolved node, with its dead properties when they were asked for.</summary>
internal sealed record Resolved(NodeRow Row, PreloadedProperties? Properties);

/// <summary>
/// The tree as an adjacency list: a path is found with one recursive query over its segments, a folder's members by
/// their parent, and whole trees are moved, copied and deleted by a constant number of set-based statements.
/// </summary>
internal static class Tree
{
    public const string Columns = "n.id, n.parent_id, n.name, n.is_folder, n.created, n.modified, n.content_id, coalesce(n.generation, 0), coalesce(c.length, 0), n.content_type, coalesce(c.chunk_size, 0), coalesce(c.created, 0)";

    /// <summary>How many columns <see cref="Columns"/> has; a query may select more after them.</summary>
    public const int ColumnCount = 12;

    public const string From = "nodes n LEFT JOIN contents c ON c.id = n.content_id";

    public static NodeRow Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.NullableLong(1),
        reader.GetString(2),
        reader.GetBoolean(3),
        reader.GetInt64(4),
        reader.GetInt64(5),
        reader.NullableLong(6),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.NullableString(9),
        reader.GetInt32(10),
        reader.GetInt64(11));

    /// <summary>
    /// One level of a walk down a path: the member of folder <c>w.id</c> named by segment <c>w.depth + 1</c>. A
    /// subquery with LIMIT, so that the planner looks each level up in the (parent_id, name) index: joined plainly, it
    /// may hash the whole table at every level when its statistics say the table is small, which makes a request on a
    /// path of depth d cost d times the size of the tree (a 2,000-level chain of MKCOLs did not finish in 240 s).
    /// </summary>
    private const string Step = """SELECT id FROM nodes WHERE parent_id = w.id AND name = ($1::text[])[w.depth + 1] COLLATE "C" LIMIT 1""";

    /// <summary>The node at the path made of <paramref name="segments"/>, or null.</summary>
    public static async ValueTask<NodeRow?> ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string[] segments, CancellationToken cancellationToken) =>
        (await ResolveAsync(connection, transaction, segments, withProperties: false, cancellationToken))?.Row;

    /// <summary>
    /// The node at the path made of <paramref name="segments"/>, or null; with its dead properties, all of them, when
    /// <paramref name="withProperties"/> is true (null otherwise). Fetching them in the same statement saves a PROPFIND
    /// a round trip; for a node without properties it costs one index probe.
    /// </summary>
    public static ValueTask<Resolved?> ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string[] segments, bool withProperties, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction, $"""
            WITH RECURSIVE walk (id, depth) AS (
                SELECT id, 0 FROM nodes WHERE parent_id IS NULL
                UNION ALL
                SELECT m.id, w.depth + 1 FROM walk w
                CROSS JOIN LATERAL ({Step}) m
                WHERE w.depth < cardinality($1::text[]))
            SELECT {Columns}{(withProperties ? ", p.names, p.vals" : "")} FROM walk w JOIN {From} ON n.id = w.id
            {(withProperties ? "LEFT JOIN LATERAL (SELECT array_agg(pr.name) AS names, array_agg(pr.value) AS vals FROM properties pr WHERE pr.node_id = n.id) p ON true" : "")}
            WHERE w.depth = cardinality($1::text[])
            """).With(segments).FirstAsync(
                r => new Resolved(Read(r), withProperties ? PreloadedProperties.Read(r, ColumnCount, PropertySelection.All) : null), cancellationToken);

    /// <summary>The bytes of the files at or below the path made of <paramref name="segments"/> (0 when nothing is
    /// there), summed by the database in one statement, as the transaction sees them.</summary>
    public static async ValueTask<long> CountBytesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string[] segments, CancellationToken cancellationToken) =>
        await Sql.Command(connection, transaction, $"""
            WITH RECURSIVE walk (id, depth) AS (
                SELECT id, 0 FROM nodes WHERE parent_id IS NULL
                UNION ALL
                SELECT m.id, w.depth + 1 FROM walk w
                CROSS JOIN LATERAL ({Step}) m
                WHERE w.depth < cardinality($1::text[])),
            sub (id) AS (
                SELECT id FROM walk WHERE depth = cardinality($1::text[])
                UNION ALL
                SELECT n.id FROM sub CROSS JOIN LATERAL (SELECT id FROM nodes WHERE parent_id = sub.id OFFSET 0) n)
            SELECT COALESCE(SUM(c.length), 0)::bigint FROM sub JOIN nodes n ON n.id = sub.id JOIN contents c ON c.id = n.content_id
            """).With(segments).ScalarAsync<long>(cancellationToken);

    public static ValueTask<NodeRow?> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction, $"SELECT {Columns} FROM {From} WHERE n.id = $1").With(id).FirstAsync(Read, cancellationToken);

    public static ValueTask<NodeRow?> GetChildAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long parentId, string name, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction, $"SELECT {Columns} FROM {From} WHERE n.parent_id = $1 AND n.name = $2").With(parentId).With(name).FirstAsync(Read, cancellationToken);

    /// <summary>Inserts a member and moves its folder's modification time on (see <see cref="TouchAsync"/>), in one
    /// statement; null, and nothing changed, when the name is taken.</summary>
    public static ValueTask<NodeRow?> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long parentId, string name, long now, long? contentId, string? contentType, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction, $"""
            WITH n AS (
                INSERT INTO nodes (parent_id, name, is_folder, created, modified, content_id, generation, content_type)
                VALUES ($1, $2, $3 IS NULL, $4, $4, $3, CASE WHEN $3 IS NULL THEN NULL ELSE nextval('generations') END, $5)
                ON CONFLICT (parent_id, name) DO NOTHING
                RETURNING *),
            t AS (UPDATE nodes SET modified = greatest(modified, $4) WHERE id = $1 AND EXISTS (SELECT 1 FROM n))
            SELECT {Columns} FROM n LEFT JOIN contents c ON c.id = n.content_id
            """).With(parentId).With(name).With(contentId).With(now).With(contentType).FirstAsync(Read, cancellationToken);

    /// <summary>A folder's membership changed: its modification time moves on.</summary>
    public static ValueTask<int> TouchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long folderId, long now, CancellationToken cancellationToken) =>
        Sql.Command(connection, transaction, "UPDATE nodes SET modified = greatest(modified, $2) WHERE id = $1").With(folderId).With(now).RunAsync(cancellationToken);

    /// <summary>True when <paramref name="ancestorId"/> is <paramref name="id"/> or above it.</summary>
    public static async ValueTask<bool> IsSameOrBelowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, long ancestorId, CancellationToken cancellationToken) =>
        await Sql.Command(connection, transaction, """
            WITH RECURSIVE up (id, parent_id) AS (
                SELECT id, parent_id FROM nodes WHERE id = $1
                UNION ALL
                SELECT n.id, n.parent_id FROM up CROSS JOIN LATERAL (SELECT id, parent_id FROM nodes WHERE id = up.parent_id LIMIT 1) n)
            SELECT EXISTS (SELECT 1 FROM up WHERE id = $2)
            """).With(id).With(ancestorId).ScalarAsync<bool>(cancellationToken);

    // Walks down a tree look up each folder's members in the (parent_id, name) index (OFFSET 0 keeps the subquery
    // from being merged into a join the planner might make a hash of the whole table at every level).
    private const string Subtree = """
        WITH RECURSIVE sub (id) AS (
            SELECT id FROM nodes WHERE id = $1
            UNION ALL
            SELECT n.id FROM sub CROSS JOIN LATERAL (SELECT id FROM nodes WHERE parent_id = sub.id OFFSET 0) n)
        """;

    /// <summary>Deletes a node with everything below it (the foreign keys cascade to members and properties), and
    /// marks the contents its files used as possibly unused. Returns false when the node was gone.</summary>
    public static async ValueTask<bool> DeleteTreeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await Sql.Command(connection, transaction, Subtree + " " + Contents.ReleaseSql("SELECT n.content_id FROM sub JOIN nodes n ON n.id = sub.id", "$2"))
            .With(id).With(Ticks.From(now + Contents.ReleaseGrace)).RunAsync(cancellationToken);
        return await Sql.Command(connection, transaction, "DELETE FROM nodes WHERE id = $1").With(id).RunAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Copies node <paramref name="sourceId"/> (with everything below it when <paramref name="deep"/>) into folder
    /// <paramref name="parentId"/> as <paramref name="name"/>, with the dead properties, in two statements whatever
    /// the size of the tree. Files share their content with the source (contents never change), so no byte is
    /// copied; each copy gets a new generation all the same, so entity tags stay one per file.
    /// </summary>
    public static async ValueTask<long> CopyTreeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long sourceId, long parentId, string name, bool deep, long now, CancellationToken cancellationToken)
    {
        var walk = deep
            ? "WITH RECURSIVE sub (id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM nodes WHERE id = $1 UNION ALL SELECT n.id, n.parent_id, sub.depth + 1 FROM sub CROSS JOIN LATERAL (SELECT id, parent_id FROM nodes WHERE parent_id = sub.id OFFSET 0) n)"
            : "WITH sub (id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM nodes WHERE id = $1)";
        await Sql.Command(connection, transaction, "CREATE TEMPORARY TABLE IF NOT EXISTS copy_map (old_id bigint PRIMARY KEY, new_id bigint NOT NULL, old_parent bigint, depth integer NOT NULL) ON COMMIT DROP")
            .RunAsync(cancellationToken);
        await Sql.Command(connection, transaction, "TRUNCATE copy_map").RunAsync(cancellationToken);
        await Sql.Command(connection, transaction, $"""
            {walk}
            INSERT INTO copy_map (old_id, new_id, old_parent, depth)
            SELECT id, nextval(pg_get_serial_sequence('nodes', 'id')), parent_id, depth FROM sub
            """).With(sourceId).RunAsync(cancellationToken);
        await Sql.Command(connection, transaction, "ANALYZE copy_map").RunAsync(cancellationToken);
        await Sql.Command(connection, transaction, """
            INSERT INTO nodes (id, parent_id, name, is_folder, created, modified, content_id, generation, content_type)
            SELECT m.new_id,
                   CASE WHEN m.depth = 0 THEN $1 ELSE p.new_id END,
                   CASE WHEN m.depth = 0 THEN $2 ELSE n.name END,
                   n.is_folder, $3, CASE WHEN n.is_folder THEN $3 ELSE n.modified END, n.content_id,
                   CASE WHEN n.is_folder THEN NULL ELSE nextval('generations') END, n.content_type
            FROM copy_map m JOIN nodes n ON n.id = m.old_id LEFT JOIN copy_map p ON p.old_id = m.old_parent
            ORDER BY m.depth
            """).With(parentId).With(name).With(now).RunAsync(cancellationToken);
        await Sql.Command(connection, transaction, """
            INSERT INTO properties (node_id, name, value)
            SELECT m.new_id, p.name, p.value FROM copy_map m JOIN properties p ON p.node_id = m.old_id
            """).RunAsync(cancellationToken);
        return await Sql.Command(connection, transaction, "SELECT new_id FROM copy_map WHERE depth = 0").ScalarAsync<long>(cancellationToken);
    }

    /// <summary>Moves node <paramref name="id"/> into <paramref name="parentId"/> as <paramref name="name"/>: one row,
    /// whatever lies below it.</summary>
    public static async ValueTask<bool> MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, long parentId, string name, CancellationToken cancellationToken) =>
        await Sql.Command(connection, transaction, "UPDATE nodes SET parent_id = $2, name = $3 WHERE id = $1").With(id).With(parentId).With(name).RunAsync(cancellationToken) > 0;
}
