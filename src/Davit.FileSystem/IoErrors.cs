using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>Classifies operating-system failures and turns them into the statuses the storage contract names.</summary>
internal static class IoErrors
{
    // errno EXDEV is 18; Windows reports HRESULT_FROM_WIN32(ERROR_NOT_SAME_DEVICE).
    private const int Exdev = 18;
    private const int WinNotSameDevice = unchecked((int)0x80070011);

    /// <summary>True when <paramref name="exception"/> says the disk (or the user's quota) is full.</summary>
    public static bool IsOutOfSpace(IOException exception) => DiskErrors.IsOutOfSpace(exception);

    /// <summary>True when a rename failed because source and destination are on different file systems.</summary>
    public static bool IsCrossDevice(IOException exception) =>
        exception.HResult == (OperatingSystem.IsWindows() ? WinNotSameDevice : Exdev);

    /// <summary>The 507 a store answers when space runs out.</summary>
    public static DavException OutOfSpace(Exception inner) =>
        new(507, "The file system is out of space.", null, inner);

    /// <summary>The status for a failed file-system operation.</summary>
    public static int StatusFor(Exception exception) => exception switch
    {
        DavException dav => dav.StatusCode,
        UnauthorizedAccessException => 403,
        FileNotFoundException or DirectoryNotFoundException => 404,
        IOException io when IsOutOfSpace(io) => 507,
        _ => 500,
    };

    /// <summary>Wraps <paramref name="exception"/> so that the engine answers <see cref="StatusFor"/>.</summary>
    public static DavException ToDav(Exception exception, string message) =>
        exception as DavException ?? new DavException(StatusFor(exception), message, null, exception);

    /// <summary>True for the exceptions file-system calls throw for expected failures.</summary>
    public static bool IsFileSystemError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException;
}
