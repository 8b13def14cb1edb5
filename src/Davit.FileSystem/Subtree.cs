using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>SQL that selects the rows of an item and everything below it.</summary>
internal static class Subtree
{
    /// <summary>
    /// A condition on column <c>path</c> for the subtree of the path bound as <c>$p</c>, with <c>$lo</c> = p + "/"
    /// and <c>$hi</c> = p + "0". Descendants sort strictly between the two ('0' follows '/' in the byte order
    /// SQLite's BINARY collation uses), so "a/b" takes "a/b/c" but never "a/bc", with no LIKE and its wildcards,
    /// and the primary key serves the range.
    /// </summary>
    public static string Filter(DavPath path) =>
        path.IsRoot ? "1 = 1" : "(path = $p OR (path > $lo AND path < $hi))";
}
