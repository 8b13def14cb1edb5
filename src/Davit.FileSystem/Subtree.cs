using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>SQL that selects the rows of an item and everything below it.</summary>
/// <remarks>
/// The conditions use the path bound as <c>$p</c>, with <c>$lo</c> = p + "/" and <c>$hi</c> = p + "0" (see
/// <see cref="Bind"/>). Descendants sort strictly between the two ('0' follows '/' in the byte order SQLite's BINARY
/// collation uses), so "a/b" takes "a/b/c" but never "a/bc", with no LIKE and its wildcards, and an index on the
/// column serves the range.
/// </remarks>
internal static class Subtree
{
    /// <summary>A condition on <paramref name="column"/> for <paramref name="path"/> and everything below it.</summary>
    public static string Filter(DavPath path, string column = "path") =>
        path.IsRoot ? "1 = 1" : $"({column} = $p OR ({column} > $lo AND {column} < $hi))";

    /// <summary>A condition on <paramref name="column"/> for everything strictly below <paramref name="path"/>.</summary>
    public static string Below(DavPath path, string column) =>
        path.IsRoot ? $"{column} <> ''" : $"({column} > $lo AND {column} < $hi)";

    /// <summary>Binds <c>$p</c>, <c>$lo</c> and <c>$hi</c> for <paramref name="path"/>.</summary>
    public static void Bind(Microsoft.Data.Sqlite.SqliteParameterCollection parameters, DavPath path)
    {
        var text = path.ToString();
        parameters.AddWithValue("$p", text);
        parameters.AddWithValue("$lo", text + "/");
        parameters.AddWithValue("$hi", text + "0");
    }
}
