using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Davit.FileSystem.Disk;

/// <summary>
/// Opens a file for reading in two system calls (Linux: open, then statx on the descriptor for its length and time),
/// where <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/> and the reads of
/// length and time took seven (open, fstat, an advisory flock that emulates FileShare, posix_fadvise, two more
/// fstat, and the flock's release). Nothing in the store relies on that advisory lock: content is replaced by
/// renaming, never written in place, and no file under the root is opened with FileShare.None. A small GET is mostly
/// these calls (bench/speed.sh).
/// </summary>
internal static partial class ReadOpen
{
    private const int ORdonly = 0;
    private const int OCloexec = 0x80000;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const int Eintr = 4;

    /// <summary>Opens <paramref name="path"/> and reads its length and modification time from the open descriptor,
    /// or returns null when this cannot be done here (not Linux, an error of any kind, not a regular file): the caller
    /// then opens it the portable way, which reports the error as before.</summary>
    public static unsafe SafeFileHandle? TryOpen(string path, out long length, out DateTime modifiedUtc)
    {
        length = 0;
        modifiedUtc = default;
        if (!LinkFreeLookup.IsSupported)
        {
            return null;
        }

        int descriptor;
        try
        {
            do
            {
                descriptor = Open(path, ORdonly | OCloexec);
            }
            while (descriptor < 0 && Marshal.GetLastPInvokeError() == Eintr);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }

        if (descriptor < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        var buffer = stackalloc byte[StatxSize];
        if (Statx(descriptor, string.Empty, AtEmptyPath, StatxBasicStats, buffer) != 0 || (*(ushort*)(buffer + 28) & 0xF000) != 0x8000)
        {
            handle.Dispose();
            return null;
        }

        length = (long)*(ulong*)(buffer + 40);
        modifiedUtc = LinkFreeLookup.Time(buffer + 112);
        return handle;
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/> (pread); the count read.</summary>
    public static unsafe int Read(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* bytes = buffer)
            {
                nint result;
                do
                {
                    result = Pread((int)handle.DangerousGetHandle(), bytes, (nuint)buffer.Length, offset);
                }
                while (result < 0 && Marshal.GetLastPInvokeError() == Eintr);

                return result >= 0 ? (int)result : throw new IOException($"pread failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static unsafe partial nint Pread(int descriptor, byte* buffer, nuint count, long offset);
}
