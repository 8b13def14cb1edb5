using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>Classifies operating-system failures and turns them into the outcomes the storage contract names.</summary>
internal static class IoErrors
{
    // errno EXDEV is 18; Windows reports HRESULT_FROM_WIN32(ERROR_NOT_SAME_DEVICE).
    private const int Exdev = 18;
    private const int WinNotSameDevice = unchecked((int)0x80070011);

    // A lock another open file holds: EWOULDBLOCK from flock (11 on Linux, 35 on macOS), or a Windows sharing violation.
    private const int EwouldblockLinux = 11;
    private const int EwouldblockBsd = 35;
    private const int WinSharingViolation = unchecked((int)0x80070020);

    /// <summary>True when <paramref name="exception"/> says the disk (or the user's quota) is full.</summary>
    public static bool IsOutOfSpace(Exception exception) => DiskErrors.IsOutOfSpace(exception);

    /// <summary>True when a rename failed because source and destination are on different file systems.</summary>
    public static bool IsCrossDevice(IOException exception) =>
        exception.HResult == (OperatingSystem.IsWindows() ? WinNotSameDevice : Exdev);

    /// <summary>True when a file could not be opened because another open file holds its lock.</summary>
    public static bool IsInUse(IOException exception) =>
        exception.HResult == (OperatingSystem.IsWindows() ? WinSharingViolation : OperatingSystem.IsLinux() ? EwouldblockLinux : EwouldblockBsd);

    /// <summary>The outcome for a failed file-system operation.</summary>
    public static StoreError ErrorFor(Exception exception) => exception switch
    {
        StoreException store => store.Error,
        UnauthorizedAccessException => StoreError.Forbidden,
        FileNotFoundException or DirectoryNotFoundException => StoreError.NotFound,
        PathTooLongException => StoreError.NameTooLong,
        IOException io when IsOutOfSpace(io) => StoreError.InsufficientStorage,
        _ => throw new InvalidOperationException("Not an expected file-system failure.", exception),
    };

    /// <summary>True for the failures <see cref="ToStore"/> gives an outcome; anything else stays a 500.</summary>
    public static bool HasOutcome(Exception exception) =>
        exception is StoreException or UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException or PathTooLongException
        || (exception is IOException io && IsOutOfSpace(io));

    /// <summary>Wraps <paramref name="exception"/> as the outcome it means.</summary>
    public static StoreException ToStore(Exception exception, string message) =>
        exception as StoreException ?? new StoreException(ErrorFor(exception), message, exception);

    /// <summary>The outcome when space runs out.</summary>
    public static StoreException OutOfSpace(Exception inner) =>
        new(StoreError.InsufficientStorage, "The file system is out of space.", inner);

    /// <summary>True for the exceptions file-system calls throw for expected failures.</summary>
    public static bool IsFileSystemError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException;
}
