using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Davit.FileSystem;

/// <summary>
/// The durable part of a write unit of work's undo list. The files of a unit of work change at once and its metadata
/// at the commit; a process killed in between would leave, say, a moved folder at its new place with its properties
/// still recorded at the old one. So before a unit of work renames an entry, it writes the rename to its journal file
/// (<c>journal/&lt;id&gt;</c> in the metadata folder) and flushes it; its commit records its id in the table
/// <c>journal</c>, in the same transaction as its metadata.
/// </summary>
/// <remarks>
/// <para>Every write unit of work holds the database's write lock from begin to end, so a journal file found by the
/// next one to take the lock belongs to a unit that has ended. With its id in the table, it committed: the file is
/// only deleted. Without, it never committed, and its renames are undone, latest first, which puts the tree back as
/// the metadata describes it. <see cref="Replay"/> runs at start and at the begin of every write unit of work, in
/// any process sharing the folder.</para>
/// <para>Only renames are journaled. A new entry whose unit of work never committed stays: it is whole (content is
/// staged and flushed before it is renamed into place) and has no metadata of its own, as if the write had been
/// committed without properties.</para>
/// </remarks>
internal sealed class UndoJournal
{
    private const string MetadataMark = "M";
    private const string RootMark = "R";

    private readonly StoreLayout layout;
    private readonly string folder;

    public UndoJournal(StoreLayout layout)
    {
        this.layout = layout;
        folder = Path.Join(layout.MetadataPath, "journal");
        Directory.CreateDirectory(folder);
    }

    /// <summary>True when a journal file waits for a replay.</summary>
    public bool HasPending => Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any();

    /// <summary>Starts the journal of one unit of work (its file is made at the first entry).</summary>
    public Writer Start() => new(this, Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Settles every journal file left by units of work that have ended: deleted when the unit committed, undone and
    /// deleted when it did not. Call it holding the write lock, inside its transaction.
    /// </summary>
    public void Replay(MetadataConnection connection, SqliteTransaction transaction)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(folder);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var file in files)
        {
            var id = Path.GetFileName(file);
            if (!IsId(id))
            {
                continue;
            }

            if (!IsCommitted(connection, transaction, id))
            {
                Undo(file);
            }

            File.Delete(file);
        }
    }

    // Entries are undone latest first; each only when its rename happened (the entry was written before it) and
    // nothing took its old place since, so undoing twice (a kill during the first replay) changes nothing.
    private void Undo(string file)
    {
        var entries = new List<(string From, string To)>();
        foreach (var line in File.ReadLines(file, Encoding.UTF8))
        {
            try
            {
                var pair = JsonSerializer.Deserialize<string[]>(line);
                if (pair is [var from, var to])
                {
                    entries.Add((Decode(from), Decode(to)));
                }
            }
            catch (JsonException)
            {
                // A line cut short by the kill: its rename never started.
            }
        }

        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var (from, to) = entries[i];
            if (!EntryMover.Exists(to) || EntryMover.Exists(from))
            {
                continue;
            }

            try
            {
                EntryMover.Rename(to, from);
            }
            catch (DirectoryNotFoundException) when (layout.IsHidden(from))
            {
                // It came from a staging folder that is gone: what it was is not wanted anywhere.
                StagingArea.Purge(to);
            }
        }
    }

    private static bool IsCommitted(MetadataConnection connection, SqliteTransaction transaction, string id)
    {
        var command = connection.Command("SELECT 1 FROM journal WHERE id = $id;", transaction);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is not null;
    }

    private static bool IsId(string name) => name.Length == 32 && name.All(char.IsAsciiHexDigitLower);

    private string Encode(string path) =>
        layout.IsHidden(path)
            ? MetadataMark + Path.GetRelativePath(layout.MetadataPath, path)
            : RootMark + Path.GetRelativePath(layout.RootPath, path);

    private string Decode(string encoded) =>
        Path.GetFullPath(Path.Join(encoded.StartsWith(MetadataMark, StringComparison.Ordinal) ? layout.MetadataPath : layout.RootPath, encoded[1..]));

    /// <summary>One unit of work's journal.</summary>
    internal sealed class Writer(UndoJournal journal, string id)
    {
        private FileStream? file;

        /// <summary>The unit of work's id, recorded by its commit.</summary>
        public string Id => id;

        /// <summary>True once an entry was written.</summary>
        public bool IsUsed => file is not null;

        /// <summary>Records, durably, that <paramref name="from"/> is about to be renamed to <paramref name="to"/>.</summary>
        public void Renaming(string from, string to)
        {
            file ??= new FileStream(Path.Join(journal.folder, id), FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1);
            var line = JsonSerializer.Serialize(new[] { journal.Encode(from), journal.Encode(to) }) + "\n";
            file.Write(Encoding.UTF8.GetBytes(line));
            file.Flush(flushToDisk: true);
        }

        /// <summary>
        /// Within the committing transaction: records this unit's id, and forgets the ids of units whose files are
        /// gone (with the write lock held, no other file can appear meanwhile).
        /// </summary>
        public void RecordCommit(MetadataConnection connection, SqliteTransaction transaction)
        {
            var present = Directory.GetFiles(journal.folder).Select(Path.GetFileName).Where(n => n is not null && IsId(n) && n != id);

            // The list of ids differs at nearly every commit: not kept prepared.
            var command = connection.OneOff(
                $"DELETE FROM journal WHERE id NOT IN ({string.Join(',', present.Select(n => $"'{n}'"))}); INSERT INTO journal (id) VALUES ($id);",
                transaction);
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }

        /// <summary>Closes and deletes the file: after the commit, or after an in-process rollback undid every entry.</summary>
        public void Delete()
        {
            if (file is null)
            {
                return;
            }

            file.Dispose();
            File.Delete(Path.Join(journal.folder, id));
        }

        /// <summary>Closes the file and leaves it for the next writer's replay (an undo that did not finish).</summary>
        public void Abandon() => file?.Dispose();
    }
}
