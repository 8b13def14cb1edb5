namespace Davit.FileSystem;

/// <summary>Where the file-system store keeps content and metadata.</summary>
public sealed class FileSystemStoreOptions
{
    /// <summary>
    /// The folder whose files and subfolders are served; created when missing. A relative path is resolved against
    /// the application's content root when registered with <c>AddFileSystemStore</c>, against the current directory
    /// otherwise. Must not be empty.
    /// </summary>
    public string Root { get; set; } = "data";

    /// <summary>
    /// The folder holding the metadata database (davit.db) and the staging folder for uploads in progress, or null
    /// for <c>&lt;Root&gt;/.davit</c>. When it lies inside <see cref="Root"/> it is never reachable through WebDAV.
    /// Keep it on the same file system as <see cref="Root"/>: uploads are renamed from there into place, and a
    /// rename is only atomic within one file system.
    /// </summary>
    public string? MetadataPath { get; set; }
}
