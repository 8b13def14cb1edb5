namespace Davit.Authorization;

/// <summary>
/// What an operation needs on a path, as the engine asks <see cref="IDavAuthorizer"/>. Each request needs one or
/// more of these; the table is in the README ("Permissions") and in <see cref="IDavAuthorizer"/>.
/// </summary>
public enum DavAccess
{
    /// <summary>Read content, properties or the member list (GET, HEAD, PROPFIND, OPTIONS, REPORT; the source of
    /// COPY and MOVE).</summary>
    Read,

    /// <summary>Replace or change the content of an existing file (PUT, a Content-Range segment, CANCELUPLOAD,
    /// a form POST into a folder).</summary>
    WriteContent,

    /// <summary>Set or remove dead properties (PROPPATCH).</summary>
    WriteProperties,

    /// <summary>Create something at a path where nothing is mapped (PUT of a new file, MKCOL, LOCK of an unmapped
    /// URL, the destination of COPY and MOVE).</summary>
    Create,

    /// <summary>Remove what is mapped at the path (DELETE, the source of MOVE, a destination that COPY or MOVE
    /// overwrites).</summary>
    Delete,

    /// <summary>Take, refresh or remove a lock (LOCK, UNLOCK).</summary>
    Lock,
}
