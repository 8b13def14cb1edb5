using System.Buffers;
using System.Security.Cryptography;
using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// The files of <see cref="DirectoryUploadSessionStore"/>: for each session, <c>&lt;id&gt;.data</c> (the saved
/// bytes) and <c>&lt;id&gt;.json</c> (the record), plus <c>&lt;id&gt;.tmp</c> while a record is being replaced.
/// </summary>
/// <remarks>
/// Crash safety rests on two rules. A record is never written in place: it is written to the temporary file and
/// renamed over the old one, so a process killed at any instant leaves either the old record or the new one, never
/// a torn one. And a record never claims more bytes than the data file holds: data is written (and, when durable,
/// flushed) before the record that counts it, and a record is lowered before the bytes it counts are rewritten or
/// cut off. Bytes past a record's count are leftovers of a write that did not finish; they are never read and are
/// cut off at the next start.
/// </remarks>
internal sealed class DirectorySessionFiles(string folder)
{
    private const string DataExtension = ".data";
    private const string RecordExtension = ".json";
    private const string TempExtension = ".tmp";
    private const int IdLength = 32;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The folder the files are in.</summary>
    public string Folder { get; } = folder;

    /// <summary>A new session id: 128 random bits as 32 lowercase hex digits.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));

    /// <summary>True when <paramref name="id"/> has the form of the ids this store makes, so that it can name a file.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: IdLength } && !id.AsSpan().ContainsAnyExcept(LowerHex);

    /// <summary>Where the bytes of session <paramref name="id"/> are.</summary>
    public string DataPath(string id) => Path.Join(Folder, id + DataExtension);

    /// <summary>Where the record of session <paramref name="id"/> is.</summary>
    public string RecordPath(string id) => Path.Join(Folder, id + RecordExtension);

    private string TempPath(string id) => Path.Join(Folder, id + TempExtension);

    /// <summary>True when <paramref name="exception"/> says the disk (or the user's quota) is full.</summary>
    public static bool IsOutOfSpace(Exception exception) => exception is IOException && DiskErrors.IsOutOfSpace(exception);

    /// <summary>The 507 the store answers when space runs out.</summary>
    public static DavException OutOfSpace(Exception inner) =>
        new(507, "There is no space left to save the upload.", null, inner);

    /// <summary>Creates the empty data file of a new session.</summary>
    public void CreateData(string id)
    {
        using var _ = new FileStream(DataPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
    }

    /// <summary>
    /// Replaces the record of <paramref name="entry"/> with <paramref name="session"/>: written to a temporary file
    /// and renamed into place. With <paramref name="durable"/>, the temporary file is flushed before the rename (so
    /// the name never points at unwritten blocks) and the folder after it (so the rename itself is on the disk).
    /// False when the session has been deleted meanwhile:
    /// nothing is written then.
    /// </summary>
    /// <exception cref="DavException">507 when out of space; the old record is left as it was.</exception>
    public bool SaveRecord(DirectorySessionEntry entry, UploadSession session, bool durable)
    {
        var bytes = SessionFile.Serialize(session);
        lock (entry.RecordGate)
        {
            if (entry.Removed)
            {
                return false;
            }

            var temp = TempPath(session.Id);
            var record = RecordPath(session.Id);
            try
            {
                using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
                {
                    output.Write(bytes);
                    if (durable)
                    {
                        output.Flush(flushToDisk: true);
                    }
                }

                File.Move(temp, record, overwrite: true);
                if (durable)
                {
                    DirectoryFlush.Flush(Folder);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temp);
                if (IsOutOfSpace(ex))
                {
                    throw OutOfSpace(ex);
                }

                throw;
            }

            return true;
        }
    }

    /// <summary>
    /// Deletes the files of <paramref name="entry"/>, the record first: a crash in between leaves an orphaned data
    /// file, which the next start deletes, never a record without its bytes. Marks the entry removed, so that no
    /// record is saved for it afterwards.
    /// </summary>
    public void Delete(DirectorySessionEntry entry)
    {
        lock (entry.RecordGate)
        {
            entry.Removed = true;
            DeleteFiles(entry.Id);
        }
    }

    /// <summary>Like <see cref="Delete"/>, but ignores failures: what is left is tidied at the next start.</summary>
    public void TryDelete(DirectorySessionEntry entry)
    {
        lock (entry.RecordGate)
        {
            entry.Removed = true;
            TryDeleteFiles(entry.Id);
        }
    }

    /// <summary>Deletes whatever files session <paramref name="id"/> has, the record first.</summary>
    public void DeleteFiles(string id)
    {
        File.Delete(RecordPath(id));
        File.Delete(TempPath(id));
        File.Delete(DataPath(id));
    }

    /// <summary>
    /// Reads every session in the folder (creating it if missing) and tidies it: temporary files, records that
    /// cannot be read and data files without a record are deleted; a data file longer than its record says is cut
    /// to length, and a record that counts more bytes than its data file holds is lowered to what is there. When
    /// two records name the same path (a crash while one replaced the other), the newer is kept. Never throws for
    /// the state of a single file.
    /// </summary>
    public List<DirectorySessionEntry> Load()
    {
        Directory.CreateDirectory(Folder);
        var records = new List<string>();
        var data = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            var name = Path.GetFileName(file.AsSpan());
            var extension = Path.GetExtension(name);
            var id = name[..^extension.Length].ToString();
            if (!IsValidId(id))
            {
                // Not a file this store made: leave it alone.
                continue;
            }

            if (extension.SequenceEqual(RecordExtension))
            {
                records.Add(id);
            }
            else if (extension.SequenceEqual(DataExtension))
            {
                data.Add(id);
            }
            else if (extension.SequenceEqual(TempExtension))
            {
                TryDelete(file);
            }
        }

        var byPath = new Dictionary<DavPath, DirectorySessionEntry>();
        foreach (var id in records)
        {
            if (TryLoad(id, data.Contains(id)) is not { } session)
            {
                TryDelete(RecordPath(id));
                continue;
            }

            var entry = new DirectorySessionEntry(session);
            if (byPath.TryGetValue(session.Path, out var other))
            {
                var (keep, drop) = IsNewer(session, other.Session) ? (entry, other) : (other, entry);
                byPath[session.Path] = keep;
                TryDeleteFiles(drop.Id);
                data.Remove(drop.Id);
                continue;
            }

            byPath.Add(session.Path, entry);
        }

        data.ExceptWith(byPath.Values.Select(entry => entry.Id));
        foreach (var id in data)
        {
            TryDelete(DataPath(id));
        }

        return [.. byPath.Values];
    }

    private UploadSession? TryLoad(string id, bool hasData)
    {
        try
        {
            byte[] json;
            using (var input = new FileStream(RecordPath(id), FileMode.Open, FileAccess.Read, FileShare.Read, 1))
            {
                if (input.Length > SessionFile.MaxLength)
                {
                    return null;
                }

                json = new byte[input.Length];
                input.ReadExactly(json);
            }

            if (!SessionFile.TryParse(json, id, out var session))
            {
                return null;
            }

            var dataPath = DataPath(id);
            if (!hasData)
            {
                CreateData(id);
            }

            long length;
            using (var bytes = new FileStream(dataPath, FileMode.Open, FileAccess.Write, FileShare.Read, 1))
            {
                length = bytes.Length;
                if (length > session.BytesSaved)
                {
                    bytes.SetLength(session.BytesSaved);
                }
            }

            if (length < session.BytesSaved)
            {
                session = session with { BytesSaved = length };
                try
                {
                    SaveRecord(new DirectorySessionEntry(session), session, durable: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DavException)
                {
                    // The record still counts too much on disk; the next start lowers it again.
                }
            }

            return session;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DavException)
        {
            return null;
        }
    }

    private static bool IsNewer(UploadSession candidate, UploadSession incumbent)
    {
        var byCreation = candidate.CreatedUtc.CompareTo(incumbent.CreatedUtc);
        if (byCreation != 0)
        {
            return byCreation > 0;
        }

        var bySave = candidate.LastChunkSavedUtc.CompareTo(incumbent.LastChunkSavedUtc);
        return bySave != 0 ? bySave > 0 : string.CompareOrdinal(candidate.Id, incumbent.Id) > 0;
    }

    /// <summary>Deletes the files of session <paramref name="id"/>, ignoring failures: what is left is tidied at the
    /// next start.</summary>
    public void TryDeleteFiles(string id)
    {
        TryDelete(RecordPath(id));
        TryDelete(TempPath(id));
        TryDelete(DataPath(id));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Tidied at the next start.
        }
    }
}
