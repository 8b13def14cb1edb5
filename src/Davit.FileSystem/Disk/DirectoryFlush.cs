using System.Runtime.InteropServices;

namespace Davit.FileSystem;

/// <summary>
/// For stores that write to a local disk: makes changes to a folder's entries (a name created, renamed into it or
/// removed) durable. A rename is only as durable as the folder that holds the new name: until the folder itself is
/// flushed, a power cut can bring back the old name or none, even though the file's bytes were flushed. .NET
/// refuses to open a folder, so on Unix this calls open(2) and fsync(2) itself.
/// </summary>
internal static partial class DirectoryFlush
{
    // errno values, the same on Linux and macOS.
    private const int Eintr = 4;
    private const int Einval = 22;

    /// <summary>
    /// Flushes the entries of the folder at <paramref name="path"/> to stable storage. On Windows it does nothing:
    /// NTFS commits them through its own journal, and there is no portable way to flush a folder there. A file system
    /// that cannot flush folders (EINVAL) is accepted as it is.
    /// </summary>
    /// <exception cref="IOException">The folder could not be opened or flushed (with the errno in the message).</exception>
    public static void Flush(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int descriptor;
        do
        {
            descriptor = Open(path, 0); // O_RDONLY: the one mode a folder opens in, everywhere.
        }
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == Eintr);

        if (descriptor < 0)
        {
            throw Failure("open", path);
        }

        try
        {
            int result;
            do
            {
                result = Fsync(descriptor);
            }
            while (result != 0 && Marshal.GetLastPInvokeError() == Eintr);

            if (result != 0 && Marshal.GetLastPInvokeError() != Einval)
            {
                throw Failure("fsync", path);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>Flushes the folder holding <paramref name="path"/> (a file or folder just created, renamed or removed).</summary>
    public static void FlushParent(string path)
    {
        var parent = ParentOf(path);
        if (!string.IsNullOrEmpty(parent))
        {
            Flush(parent);
        }
    }

    /// <summary>The folder holding <paramref name="path"/>.</summary>
    public static string ParentOf(string path) =>
        System.IO.Path.GetDirectoryName(System.IO.Path.TrimEndingDirectorySeparator(path)) ?? path;

    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
