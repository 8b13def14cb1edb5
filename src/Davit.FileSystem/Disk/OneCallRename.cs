using System.Runtime.InteropServices;

namespace Davit.FileSystem.Disk;

/// <summary>
/// Renames a staged file into place in one system call on Linux. <see cref="File.Move(string, string, bool)"/> looks
/// at both names first (three calls more for every write of content), and its check that the target is free is a
/// separate call, where <c>renameat2</c> with <c>RENAME_NOREPLACE</c> refuses a taken name in the same step.
/// </summary>
internal static partial class OneCallRename
{
    private const int CurrentFolder = -100; // AT_FDCWD
    private const uint NoReplace = 1; // RENAME_NOREPLACE

    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="target"/>, replacing what is there only with
    /// <paramref name="replace"/>. Returns false when it did not rename, for whatever reason (a taken name, a file
    /// system without <c>RENAME_NOREPLACE</c>, another platform): the caller then calls File.Move, which renames or
    /// fails with .NET's exception for the cause.
    /// </summary>
    public static bool TryRename(string source, string target, bool replace)
    {
        if (unavailable)
        {
            return false;
        }

        try
        {
            return (replace ? Rename(source, target) : RenameAt2(CurrentFolder, source, CurrentFolder, target, NoReplace)) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than renameat2 (glibc 2.28).
            unavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string source, string target);

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int sourceFolder, string source, int targetFolder, string target, uint flags);
}
