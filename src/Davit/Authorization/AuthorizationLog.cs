using Davit.Authorization;
using Microsoft.Extensions.Logging;

namespace Davit.Diagnostics;

/// <summary>The authorization messages of the engine's log (event ids 100 and up).</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Access denied to {User}: {Method} needs {Access} on {Path} (tree: {Tree}): {Reason}")]
    public static partial void AccessDenied(ILogger logger, string user, string method, DavAccess access, string path, bool tree, string reason);

    [LoggerMessage(101, LogLevel.Debug, "{Path} left out of a listing for {User}: {Reason}")]
    public static partial void MemberHidden(ILogger logger, string user, string path, string reason);

    [LoggerMessage(102, LogLevel.Information, "{Method} {Path} by {User} refused: the lock belongs to {Owner}")]
    public static partial void LockNotOwned(ILogger logger, string user, string method, string path, string owner);
}
