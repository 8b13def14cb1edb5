namespace Davit.FileSystem;

/// <summary>For stores that write to a local disk: recognising the failures the contracts give statuses to.</summary>
internal static class DiskErrors
{
    // errno values: ENOSPC is 28 everywhere; EDQUOT is 122 on Linux and 69 on macOS and the BSDs.
    private const int Enospc = 28;
    private const int EdquotLinux = 122;
    private const int EdquotBsd = 69;

    // Windows reports HRESULT_FROM_WIN32 of ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL.
    private const int WinDiskFull = unchecked((int)0x80070070);
    private const int WinHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>
    /// True when <paramref name="exception"/> (or an IOException inside it) says the disk or the user's quota is
    /// full: the case the storage contracts answer with 507.
    /// </summary>
    public static bool IsOutOfSpace(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is IOException io && IsOutOfSpaceCode(io.HResult))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOutOfSpaceCode(int code) =>
        OperatingSystem.IsWindows()
            ? code is WinDiskFull or WinHandleDiskFull
            : code == Enospc || code == (OperatingSystem.IsLinux() ? EdquotLinux : EdquotBsd);
}
