using System.Runtime.InteropServices;

namespace Davit.FileSystem.Disk;

/// <summary>What <see cref="LinkFreeLookup"/> found.</summary>
internal enum LookupOutcome
{
    /// <summary>Every component exists and none is a link; the stat describes the entry.</summary>
    Found,

    /// <summary>A component is missing (or a non-folder stands where a folder should), and none before it is a link.</summary>
    Missing,

    /// <summary>No answer here (a link on the way, an error, or no support): ask the component-by-component walk.</summary>
    Unknown,
}

/// <summary>What one stat call says about an entry, in the units <see cref="FileSystemInfo"/> gives.</summary>
internal readonly record struct EntryStat(bool IsFolder, long Length, DateTime ModifiedUtc, DateTime CreatedUtc);

/// <summary>
/// Looks up a path in one system call when no component of it is a symbolic link (Linux: openat2 with
/// RESOLVE_NO_SYMLINKS, then statx on the descriptor), so that a lookup costs one pass over the path instead of
/// one stat per component, each of which walks the path again from the start (quadratic in the depth). A path with a
/// link anywhere gets <see cref="LookupOutcome.Unknown"/>, and the caller judges each link the slow way.
/// </summary>
internal static partial class LinkFreeLookup
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const ulong OPath = 0x200000;
    private const ulong OCloexec = 0x80000;
    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const long SysOpenat2 = 437; // the same number on every architecture since Linux 5.6
    private const int Enoent = 2;
    private const int Eintr = 4;
    private const int Enotdir = 20;
    private const int Enosys = 38;
    private const int StatxSize = 256;

    // Off where the kernel or the C library lacks the calls; then every lookup is the walk's.
    private static volatile bool supported = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>True while lookups can be answered here (Linux 5.6 or later, x64 or Arm64).</summary>
    public static bool IsSupported => supported;

    /// <summary>
    /// Looks up <paramref name="fullPath"/>, an absolute path below the store's real root (a folder free of links):
    /// nothing after the root may be a link, the last component included. <paramref name="singleComponent"/> says
    /// that only the last component lies below the root.
    /// </summary>
    public static unsafe LookupOutcome TryStat(string fullPath, bool singleComponent, out EntryStat stat)
    {
        stat = default;
        if (!supported)
        {
            return LookupOutcome.Unknown;
        }

        var buffer = stackalloc byte[StatxSize];
        int result;
        try
        {
            if (singleComponent)
            {
                // The folder holding the entry is link-free, so only the entry itself can be a link: statx does not
                // follow it, and the mode says whether it is one.
                do
                {
                    result = Statx(AtFdCwd, fullPath, AtSymlinkNoFollow, StatxBasicStats, buffer);
                }
                while (result < 0 && Marshal.GetLastPInvokeError() == Eintr);
            }
            else
            {
                var how = new OpenHow { Flags = OPath | OCloexec, Resolve = ResolveNoSymlinks | ResolveNoMagicLinks };
                long descriptor;
                do
                {
                    descriptor = Syscall(SysOpenat2, AtFdCwd, fullPath, &how, (nuint)sizeof(OpenHow));
                }
                while (descriptor < 0 && Marshal.GetLastPInvokeError() == Eintr);

                if (descriptor < 0)
                {
                    return Failed();
                }

                try
                {
                    result = Statx((int)descriptor, string.Empty, AtEmptyPath, StatxBasicStats, buffer);
                }
                finally
                {
                    _ = Close((int)descriptor);
                }
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            supported = false;
            return LookupOutcome.Unknown;
        }

        return result != 0 ? Failed() : Describe(buffer, out stat);
    }

    /// <summary>Opens the real folder <paramref name="folder"/> (a path, not followed further) so that its entries can
    /// be looked up by name with <see cref="TryStatAt"/>, each without walking the whole path again; -1 when it
    /// cannot be (no support, or an error): then look them up the usual way.</summary>
    public static int OpenFolder(string folder)
    {
        if (!supported)
        {
            return -1;
        }

        try
        {
            int descriptor;
            do
            {
                descriptor = Open(folder, (int)(OPath | OCloexec));
            }
            while (descriptor < 0 && Marshal.GetLastPInvokeError() == Eintr);

            return descriptor;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            supported = false;
            return -1;
        }
    }

    /// <summary>Closes what <see cref="OpenFolder"/> opened.</summary>
    public static void CloseFolder(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>Looks up the entry <paramref name="name"/> of a folder opened with <see cref="OpenFolder"/>, without
    /// following it: <see cref="LookupOutcome.Unknown"/> when it is a link (or on an error), to be judged the slow way.</summary>
    public static unsafe LookupOutcome TryStatAt(int folder, string name, out EntryStat stat)
    {
        stat = default;
        var buffer = stackalloc byte[StatxSize];
        int result;
        do
        {
            result = Statx(folder, name, AtSymlinkNoFollow, StatxBasicStats, buffer);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == Eintr);

        return result != 0 ? Failed() : Describe(buffer, out stat);
    }

    private static unsafe LookupOutcome Describe(byte* buffer, out EntryStat stat)
    {
        stat = default;
        var mode = *(ushort*)(buffer + 28) & 0xF000;
        if (mode == 0xA000)
        {
            return LookupOutcome.Unknown; // a link as the last component: judged by the walk
        }

        var modified = Time(buffer + 112);
        var changed = Time(buffer + 96);

        // As FileSystemInfo.CreationTimeUtc on Linux, which reads no birth time: the earlier of the change and
        // modification times.
        var created = modified < changed ? modified : changed;
        stat = new EntryStat(mode == 0x4000, mode == 0x4000 ? 0 : (long)*(ulong*)(buffer + 40), modified, created);
        return LookupOutcome.Found;
    }

    private static LookupOutcome Failed()
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno == Enosys)
        {
            supported = false;
        }

        // The kernel resolves components in order, so a missing one means no link stood before it (a link would have
        // stopped it first with ELOOP).
        return errno is Enoent or Enotdir ? LookupOutcome.Missing : LookupOutcome.Unknown;
    }

    // The same conversion as FileSystemInfo's on Unix, to the tick: ETags are made of these times.
    internal static unsafe DateTime Time(byte* timestamp)
    {
        var seconds = *(long*)timestamp;
        var nanoseconds = *(uint*)(timestamp + 8);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100).UtcDateTime;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial long Syscall(long number, int directory, string path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
