namespace Davit.Storage;

/// <summary>
/// What went wrong in a store, in the store's terms. Stores report an outcome; each method handler of the engine
/// chooses the HTTP status for it, because the same outcome means different things to different methods ("already
/// exists" is 405 for MKCOL and 412 for COPY with <c>Overwrite: F</c>). The status in brackets is the one the engine
/// answers unless a method says otherwise.
/// </summary>
public enum StoreError
{
    /// <summary>The item (or a session, or staged content) is not there, or was removed meanwhile [404].</summary>
    NotFound,

    /// <summary>Something is already mapped at the name an operation wanted to create [405; 412 for COPY, MOVE and
    /// conditional PUTs].</summary>
    AlreadyExists,

    /// <summary>The folder that should hold the item is missing or is a file, or a folder that should be empty is
    /// not [409].</summary>
    Conflict,

    /// <summary>The store refuses the operation on this item (a protected name, a permission the store itself
    /// lacks) [403].</summary>
    Forbidden,

    /// <summary>The store is out of space; nothing was changed [507].</summary>
    InsufficientStorage,

    /// <summary>The item is not the version the write expected (another request changed it meanwhile) [412].</summary>
    ChangedMeanwhile,

    /// <summary>Another writer holds the resource right now (an upload session being written by another request,
    /// on any node) [409].</summary>
    Busy,

    /// <summary>The store cannot hold this name: it holds characters the store cannot keep. Nothing was changed
    /// [400].</summary>
    NameNotSupported,

    /// <summary>A name or the whole path is longer than the store can hold (255 bytes for a name on most file systems,
    /// 4,095 for a path on Linux). Nothing was changed [414].</summary>
    NameTooLong,

    /// <summary>A tree operation found a loop (a link leading back into the tree) [508].</summary>
    LoopDetected,

    /// <summary>The store's backing service cannot be reached; the request may be repeated later [503, with
    /// Retry-After].</summary>
    Unavailable,

    /// <summary>
    /// The unit of work lost a race with another one and was rolled back (a serialization failure, a deadlock
    /// victim). Nothing was changed. The engine runs the request's write again, a few times, before it gives up
    /// with 503.
    /// </summary>
    Retry,
}
