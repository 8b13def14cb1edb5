using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Davit.FileSystem.Disk;

/// <summary>
/// Creates folders and files in the staging area at paths longer than the operating system takes in one call
/// (PATH_MAX on Linux). A copy is prepared under the staging folder, whose path is longer than the destination's, so
/// the copy of a tree that fills the path budget at its destination overflows it while being prepared. Linux opens
/// such a path in pieces (openat from the folder reached so far), and creates the entry relative to its folder
/// (mkdirat, openat). Elsewhere, and for paths that fit, the ordinary calls are used.
/// </summary>
internal static partial class DeepEntries
{
    private const int AtFdCwd = -100;
    private const int OWronly = 0x1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int OCloexec = 0x80000;
    private const int Eintr = 4;
    private const int Einval = 22; // a file system that cannot flush folders, accepted as DirectoryFlush does

    // O_DIRECTORY and O_NOFOLLOW differ between x64 and Arm64 Linux.
    private static readonly int ODirectory = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;
    private static readonly int ONofollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    private static readonly bool Supported = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>True when <paramref name="path"/> fits in one system call.</summary>
    public static bool Fits(string path) => Encoding.UTF8.GetByteCount(path) <= PathResolver.MaxPathBytes;

    /// <summary>Creates the folder <paramref name="path"/> (its parent exists); an existing folder is kept.</summary>
    public static void CreateFolder(string path)
    {
        if (Fits(path) || !Supported)
        {
            Directory.CreateDirectory(path);
            return;
        }

        using var parent = OpenFolder(Path.GetDirectoryName(path)!);
        int result;
        do
        {
            result = MakeFolderAt(parent, Path.GetFileName(path), Convert.ToInt32("777", 8));
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == Eintr);

        if (result < 0 && Marshal.GetLastPInvokeError() != 17) // EEXIST: as Directory.CreateDirectory
        {
            throw Failure("mkdirat", path);
        }
    }

    /// <summary>Creates the new file <paramref name="path"/> (its parent exists) and opens it for writing.</summary>
    public static FileStream CreateFile(string path)
    {
        if (Fits(path) || !Supported)
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        }

        using var parent = OpenFolder(Path.GetDirectoryName(path)!);
        int descriptor;
        do
        {
            descriptor = OpenAt(parent, Path.GetFileName(path), OWronly | OCreat | OExcl | OCloexec | ONofollow, Convert.ToInt32("666", 8));
        }
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == Eintr);

        if (descriptor < 0)
        {
            throw Failure("openat", path);
        }

        return new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Write, 1);
    }

    /// <summary>
    /// Flushes the entries of the folder <paramref name="path"/> to the disk (as <see cref="DirectoryFlush.Flush"/>),
    /// at a path of any length.
    /// </summary>
    public static void FlushFolder(string path)
    {
        if (Fits(path) || !Supported)
        {
            DirectoryFlush.Flush(path);
            return;
        }

        using var folder = OpenFolder(path);
        int result;
        do
        {
            result = Fsync(folder);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == Eintr);

        if (result != 0 && Marshal.GetLastPInvokeError() != Einval)
        {
            throw Failure("fsync", path);
        }
    }

    // Opens the folder at an absolute path of any length, a piece at a time, each piece short enough for one call.
    private static SafeFileHandle OpenFolder(string path)
    {
        SafeFileHandle? current = null;
        var rest = path.AsSpan();
        try
        {
            while (rest.Length > 0)
            {
                var piece = Piece(rest);
                var name = piece.ToString();
                rest = rest[piece.Length..].TrimStart('/');
                int descriptor;
                do
                {
                    descriptor = current is null
                        ? OpenAt(AtFdCwd, name, ODirectory | OCloexec, 0)
                        : OpenAt(current, name, ODirectory | OCloexec, 0);
                }
                while (descriptor < 0 && Marshal.GetLastPInvokeError() == Eintr);

                if (descriptor < 0)
                {
                    throw Failure("openat", path);
                }

                current?.Dispose();
                current = new SafeFileHandle(descriptor, ownsHandle: true);
            }

            return current ?? throw new ArgumentException("The path is empty.", nameof(path));
        }
        catch
        {
            current?.Dispose();
            throw;
        }
    }

    // The longest leading run of whole components of `rest` that fits in one call.
    private static ReadOnlySpan<char> Piece(ReadOnlySpan<char> rest)
    {
        var end = rest.Length;
        while (Encoding.UTF8.GetByteCount(rest[..end]) > PathResolver.MaxPathBytes)
        {
            end = rest[..end].LastIndexOf('/');
            if (end <= 0)
            {
                throw new PathTooLongException("A path component is longer than the operating system takes.");
            }
        }

        return rest[..end];
    }

    // The errno as HResult, as .NET's own IOExceptions on Unix carry it (DiskErrors reads ENOSPC and EDQUOT there).
    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}(…/{Path.GetFileName(path)}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(int directory, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(SafeFileHandle directory, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle descriptor);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFolderAt(SafeFileHandle directory, string path, int mode);
}
