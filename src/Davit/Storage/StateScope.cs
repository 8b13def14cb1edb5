namespace Davit.Storage;

/// <summary>How far the state a part of the storage keeps (content, locks, upload sessions) reaches.</summary>
public enum StateScope
{
    /// <summary>Only this process sees it, and it is gone when the process ends.</summary>
    Process,

    /// <summary>Every process on this machine that opens the same files sees it (the file-system store with its
    /// SQLite database); a server on another machine does not.</summary>
    Host,

    /// <summary>Every server that reaches the same backing service sees it (a database): several nodes behind a load
    /// balancer can serve the same store.</summary>
    Shared,
}

/// <summary>
/// Optional capability of a store, a lock store or an upload session store: it says how far its state reaches. The
/// engine logs it at startup, and refuses to start when <see cref="Hosting.DavOptions.RequireSharedState"/> is on and
/// any part is not <see cref="StateScope.Shared"/>. A part that does not implement this is taken to be
/// <see cref="StateScope.Process"/>.
/// </summary>
public interface IStateScope
{
    /// <summary>How far this part's state reaches.</summary>
    StateScope Scope { get; }
}
