using Davit.Hosting;
using Davit.Locking;
using Davit.Uploads;
using Microsoft.Extensions.Logging;

namespace Davit.Engine;

/// <summary>What the engine serves a request with, besides the store: its options, log, clock, and the lock and
/// upload-session stores in effect (null when that feature is off or has no store).</summary>
internal sealed record DavEngineParts(DavOptions Options, ILogger Logger, TimeProvider Time, ILockStore? Locks, IUploadSessionStore? Sessions);
