using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// One open connection of <see cref="MetadataDatabase"/>'s own pool, lent to one operation at a time, with the
/// commands it has prepared: a statement is parsed and planned once per connection, not once per use.
/// </summary>
/// <remarks>
/// <para>A <see cref="SqliteCommand"/> whose text does not change keeps its prepared statements until its connection
/// closes, and this connection stays open while it is pooled. Commands are kept by their SQL text, at most
/// <see cref="MaxCommands"/> of them, the least recently used going first, so SQL built per call (a list of
/// ancestors) cannot make the cache grow without bound. SQLite prepares a statement again by itself when another
/// process changed the schema, so nothing kept here can go stale.</para>
/// <para>Commands belong to the connection: callers never dispose them, and read each result to its end (disposing
/// the reader) before they ask for the same command again.</para>
/// </remarks>
internal sealed class MetadataConnection : IDisposable
{
    /// <summary>The most commands kept prepared on one connection.</summary>
    public const int MaxCommands = 64;

    private readonly SqliteConnection connection;
    private readonly Dictionary<string, LinkedListNode<SqliteCommand>> commands = new(StringComparer.Ordinal);
    private readonly LinkedList<SqliteCommand> recency = new();
    private readonly List<SqliteCommand> oneOff = [];

    public MetadataConnection(SqliteConnection connection) => this.connection = connection;

    /// <summary>The underlying connection (for transactions and C calls; do not close it).</summary>
    public SqliteConnection Connection => connection;

    /// <summary>The number of commands kept prepared (for tests).</summary>
    internal int CachedCommands => commands.Count;

    /// <summary>
    /// The command for <paramref name="sql"/>, prepared at its first use on this connection, with no parameters and
    /// <paramref name="transaction"/> (which must be the connection's current one, or null outside a transaction).
    /// </summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        SqliteCommand command;
        if (commands.TryGetValue(sql, out var node))
        {
            recency.Remove(node);
            recency.AddFirst(node);
            command = node.Value;
            command.Parameters.Clear();
        }
        else
        {
            if (commands.Count >= MaxCommands)
            {
                var last = recency.Last!;
                recency.RemoveLast();
                commands.Remove(last.Value.CommandText);

                // Disposed when the lease ends: the operation may still hold it.
                oneOff.Add(last.Value);
            }

            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, recency.AddFirst(command));
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>A command for SQL that is not worth keeping (text that differs on almost every call); it is
    /// disposed when the connection goes back to the pool.</summary>
    public SqliteCommand OneOff(string sql, SqliteTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        oneOff.Add(command);
        return command;
    }

    /// <summary>
    /// Ends a lease: disposes its one-off commands and tells whether the connection can serve another operation
    /// (open, and outside any transaction: a transaction left open after an error would hold its locks and show
    /// the next operation its writes).
    /// </summary>
    public bool EndLease()
    {
        foreach (var command in oneOff)
        {
            command.Dispose();
        }

        oneOff.Clear();
        return connection.State == System.Data.ConnectionState.Open
            && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;
    }

    /// <summary>Closes the connection, finalizing its statements.</summary>
    public void Dispose()
    {
        foreach (var command in oneOff)
        {
            command.Dispose();
        }

        foreach (var command in recency)
        {
            command.Dispose();
        }

        oneOff.Clear();
        commands.Clear();
        recency.Clear();
        connection.Dispose();
    }
}
