namespace Davit.Uploads;

/// <summary>One session in the index of <see cref="DirectoryUploadSessionStore"/>.</summary>
internal sealed class DirectorySessionEntry(UploadSession session)
{
    /// <summary>The session as last saved. Guarded by the store's index lock.</summary>
    public UploadSession Session { get; set; } = session;

    /// <summary>True while a write runs, so that the expiry sweep leaves the session alone. Guarded by the store's
    /// index lock.</summary>
    public bool Writing { get; set; }

    /// <summary>Serialises the saving of the record with the deletion of the session's files, so that a write that
    /// ends after a delete cannot bring the record back.</summary>
    public Lock RecordGate { get; } = new();

    /// <summary>True once the session's files are being deleted. Guarded by <see cref="RecordGate"/>.</summary>
    public bool Removed { get; set; }

    /// <summary>The session's id, which names its files.</summary>
    public string Id => Session.Id;
}
